#!/usr/bin/env python3
"""sentence-transformers' side of benches/embed_throughput.sh: embed the same texts with
the same model on PyTorch's CPU backend, all cores, and print texts per second.

Usage: embed_throughput.py <texts.jsonl> <model-dir> [vectors.f32] [batch]
"""
import json
import sys
import time

import numpy as np
import torch
from sentence_transformers import SentenceTransformer


def read_texts(path):
    texts = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            v = json.loads(line)
            text = v.get("text") or ""
            texts.append(f"{v['title']}\n{text}" if "title" in v else text)
    return texts


def main():
    texts_path, model_dir = sys.argv[1], sys.argv[2]
    out = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] != "-" else None
    batch = int(sys.argv[4]) if len(sys.argv) > 4 else 32
    texts = read_texts(texts_path)
    model = SentenceTransformer(model_dir, device="cpu")
    model.encode(texts[:8], batch_size=batch)  # warm-up, as the Rust side does
    started = time.perf_counter()
    vectors = model.encode(texts, batch_size=batch, normalize_embeddings=True, convert_to_numpy=True)
    seconds = time.perf_counter() - started
    if out:
        vectors.astype("<f4").tofile(out)
    print(json.dumps({
        "runner": f"sentence-transformers (torch {torch.__version__}, {torch.get_num_threads()} threads, batch {batch})",
        "texts": len(texts),
        "seconds": round(seconds, 3),
        "texts_per_second": round(len(texts) / seconds, 2),
    }))


if __name__ == "__main__":
    main()
