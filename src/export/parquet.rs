//! Parquet encoding of export tables, with the `parquet` crate's column writers (no
//! Arrow): a schema inferred from the rows, every row shredded into its columns with
//! Dremel repetition and definition levels, Snappy-compressed pages.
//!
//! The schema is what a JSON reader (pyarrow's, and so Hugging Face `datasets`') infers
//! from the same JSONL: an object is a struct holding the union of the keys seen (a key a
//! row lacks reads as null), an array a list (the standard three-level `LIST`), strings
//! UTF-8, integers INT64, other numbers DOUBLE (integers mixed with them too), booleans
//! BOOLEAN. A field whose values have no common type (a string here, an object there), a
//! struct that never had a key, and an integer beyond INT64 are written as JSON text
//! (logical type `JSON`), every value of the column encoded the same way. A column only
//! ever null is a UTF-8 column of nulls.

use parquet::basic::{Compression, LogicalType, Repetition, Type as PhysicalType};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::{Type, TypePtr};
use serde_json::Value;
use std::sync::Arc;

/// Rows per row group: small enough for the Hub's dataset viewer to page through a file
/// of long conversations, large enough to keep the per-group overhead negligible.
const ROW_GROUP_ROWS: usize = 1000;

/// Encoding a table failed.
#[derive(Debug, thiserror::Error)]
pub enum ParquetError {
    /// The writer refused the schema or the data.
    #[error("parquet: {0}")]
    Write(#[from] parquet::errors::ParquetError),
    /// The rows have no key at all: a Parquet file needs a column.
    #[error("parquet: the rows have no column")]
    NoColumns,
    /// A row is not a JSON object (every export row is one).
    #[error("parquet: row {0} is not a JSON object")]
    NotAnObject(usize),
    /// A value does not fit the schema inferred from the same rows (a bug).
    #[error("parquet: a value of `{0}` does not fit the inferred schema")]
    Mismatch(String),
}

/// The type of a column, inferred from the values seen.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// Only nulls (or nothing) seen.
    Unknown,
    /// Booleans.
    Bool,
    /// Integers that fit in an i64.
    Int,
    /// Numbers, some not integers.
    Float,
    /// Strings.
    Text,
    /// Values without a common type: each written as its JSON text.
    Json,
    /// Arrays, with the shape of their elements.
    List(Box<Shape>),
    /// Objects: each key seen, in order of first appearance, with its shape.
    Struct(Vec<(String, Shape)>),
}

impl Shape {
    /// The shape of one value.
    pub fn of(value: &Value) -> Shape {
        match value {
            Value::Null => Shape::Unknown,
            Value::Bool(_) => Shape::Bool,
            Value::Number(n) if n.is_i64() => Shape::Int,
            Value::Number(n) if n.is_f64() => Shape::Float,
            Value::Number(_) => Shape::Json,
            Value::String(_) => Shape::Text,
            Value::Array(items) => Shape::List(Box::new(
                items
                    .iter()
                    .fold(Shape::Unknown, |shape, item| shape.merge(Shape::of(item))),
            )),
            Value::Object(map) => Shape::Struct(map.iter().map(|(k, v)| (k.clone(), Shape::of(v))).collect()),
        }
    }

    /// The shape that holds the values of both.
    pub fn merge(self, other: Shape) -> Shape {
        match (self, other) {
            (Shape::Unknown, s) | (s, Shape::Unknown) => s,
            (Shape::Json, _) | (_, Shape::Json) => Shape::Json,
            (Shape::Int, Shape::Float) | (Shape::Float, Shape::Int) => Shape::Float,
            (Shape::List(a), Shape::List(b)) => Shape::List(Box::new(a.merge(*b))),
            (Shape::Struct(mut fields), Shape::Struct(more)) => {
                for (name, shape) in more {
                    match fields.iter_mut().find(|(n, _)| *n == name) {
                        Some((_, known)) => *known = std::mem::replace(known, Shape::Unknown).merge(shape),
                        None => fields.push((name, shape)),
                    }
                }
                Shape::Struct(fields)
            }
            (a, b) if a == b => a,
            _ => Shape::Json,
        }
    }

    /// Parquet has no empty group: a struct that never had a key is written as JSON.
    fn writable(self) -> Shape {
        match self {
            Shape::Struct(fields) if fields.is_empty() => Shape::Json,
            Shape::Struct(fields) => Shape::Struct(fields.into_iter().map(|(n, s)| (n, s.writable())).collect()),
            Shape::List(element) => Shape::List(Box::new(element.writable())),
            other => other,
        }
    }

    /// Leaf columns under this shape.
    fn leaves(&self) -> usize {
        match self {
            Shape::Struct(fields) => fields.iter().map(|(_, s)| s.leaves()).sum(),
            Shape::List(element) => element.leaves(),
            _ => 1,
        }
    }

    /// The shapes of the leaf columns under this shape, in schema order.
    fn leaf_shapes<'a>(&'a self, out: &mut Vec<&'a Shape>) {
        match self {
            Shape::Struct(fields) => fields.iter().for_each(|(_, s)| s.leaf_shapes(out)),
            Shape::List(element) => element.leaf_shapes(out),
            leaf => out.push(leaf),
        }
    }

    /// The Parquet field `name` of this shape (optional, as every JSON value may be null).
    fn field(&self, name: &str) -> Result<TypePtr, ParquetError> {
        let optional = Repetition::OPTIONAL;
        let leaf = |physical, logical| {
            Type::primitive_type_builder(name, physical)
                .with_repetition(optional)
                .with_logical_type(logical)
                .build()
        };
        let built = match self {
            Shape::Bool => leaf(PhysicalType::BOOLEAN, None)?,
            Shape::Int => leaf(PhysicalType::INT64, None)?,
            Shape::Float => leaf(PhysicalType::DOUBLE, None)?,
            Shape::Text | Shape::Unknown => leaf(PhysicalType::BYTE_ARRAY, Some(LogicalType::String))?,
            Shape::Json => leaf(PhysicalType::BYTE_ARRAY, Some(LogicalType::Json))?,
            Shape::List(element) => {
                let repeated = Type::group_type_builder("list")
                    .with_repetition(Repetition::REPEATED)
                    .with_fields(vec![element.field("element")?])
                    .build()?;
                Type::group_type_builder(name)
                    .with_repetition(optional)
                    .with_logical_type(Some(LogicalType::List))
                    .with_fields(vec![Arc::new(repeated)])
                    .build()?
            }
            Shape::Struct(fields) => Type::group_type_builder(name)
                .with_repetition(optional)
                .with_fields(fields.iter().map(|(n, s)| s.field(n)).collect::<Result<_, _>>()?)
                .build()?,
        };
        Ok(Arc::new(built))
    }
}

/// The shape of a table's rows (each a JSON object).
pub fn infer<'a>(rows: impl IntoIterator<Item = &'a Value>) -> Shape {
    rows.into_iter()
        .fold(Shape::Struct(Vec::new()), |shape, row| shape.merge(Shape::of(row)))
}

/// `rows` as a Parquet file whose schema is `shape` (from [`infer`] over these rows, or
/// over a superset: the splits of one config share one schema, as `datasets` requires).
pub fn encode(rows: &[Value], shape: &Shape) -> Result<Vec<u8>, ParquetError> {
    if let Some(i) = rows.iter().position(|r| !r.is_object()) {
        return Err(ParquetError::NotAnObject(i));
    }
    let Shape::Struct(columns) = shape.clone().writable() else {
        return Err(ParquetError::NoColumns);
    };
    let schema = Type::group_type_builder("schema")
        .with_fields(columns.iter().map(|(n, s)| s.field(n)).collect::<Result<_, _>>()?)
        .build()?;
    let properties = WriterProperties::builder().set_compression(Compression::SNAPPY).build();
    let mut kinds = Vec::new();
    for (_, column) in &columns {
        column.leaf_shapes(&mut kinds);
    }
    let mut out = Vec::new();
    let mut writer = SerializedFileWriter::new(&mut out, Arc::new(schema), Arc::new(properties))?;
    for chunk in rows.chunks(ROW_GROUP_ROWS) {
        let mut leaves: Vec<Leaf> = kinds.iter().map(|shape| Leaf::new(shape)).collect();
        for row in chunk.iter().filter_map(Value::as_object) {
            let mut rest = leaves.as_mut_slice();
            for (name, column) in &columns {
                let (mine, others) = rest.split_at_mut(column.leaves());
                shred(column, row.get(name), 0, 0, 0, mine, name)?;
                rest = others;
            }
        }
        let mut group = writer.next_row_group()?;
        let mut leaves = leaves.into_iter();
        while let Some(mut column) = group.next_column()? {
            let leaf = leaves
                .next()
                .ok_or_else(|| ParquetError::Mismatch("(columns)".into()))?;
            let (defs, reps) = (Some(leaf.defs.as_slice()), Some(leaf.reps.as_slice()));
            match leaf.values {
                Values::Bool(v) => column.typed::<BoolType>().write_batch(&v, defs, reps)?,
                Values::Int(v) => column.typed::<Int64Type>().write_batch(&v, defs, reps)?,
                Values::Float(v) => column.typed::<DoubleType>().write_batch(&v, defs, reps)?,
                Values::Bytes(v) => column.typed::<ByteArrayType>().write_batch(&v, defs, reps)?,
            };
            column.close()?;
        }
        group.close()?;
    }
    writer.close()?;
    Ok(out)
}

/// Rows in a Parquet file, from its footer; `None` when the bytes are not Parquet.
pub fn row_count(bytes: &[u8]) -> Option<u64> {
    let reader = parquet::file::metadata::ParquetMetaDataReader::new();
    let metadata = reader.parse_and_finish(&bytes::Bytes::copy_from_slice(bytes)).ok()?;
    u64::try_from(metadata.file_metadata().num_rows()).ok()
}

/// One leaf column's values and levels for a row group.
struct Leaf {
    values: Values,
    defs: Vec<i16>,
    reps: Vec<i16>,
}

/// A leaf column's present values, by physical type.
enum Values {
    Bool(Vec<bool>),
    Int(Vec<i64>),
    Float(Vec<f64>),
    Bytes(Vec<ByteArray>),
}

impl Leaf {
    fn new(shape: &Shape) -> Leaf {
        let values = match shape {
            Shape::Bool => Values::Bool(Vec::new()),
            Shape::Int => Values::Int(Vec::new()),
            Shape::Float => Values::Float(Vec::new()),
            _ => Values::Bytes(Vec::new()),
        };
        Leaf {
            values,
            defs: Vec::new(),
            reps: Vec::new(),
        }
    }

    fn levels(&mut self, def: i16, rep: i16) {
        self.defs.push(def);
        self.reps.push(rep);
    }

    /// A present value of a leaf `shape`, at definition level `def`.
    fn push(&mut self, shape: &Shape, value: &Value, def: i16, rep: i16, at: &str) -> Result<(), ParquetError> {
        let mismatch = || ParquetError::Mismatch(at.to_owned());
        match (shape, &mut self.values) {
            (Shape::Bool, Values::Bool(v)) => v.push(value.as_bool().ok_or_else(mismatch)?),
            (Shape::Int, Values::Int(v)) => v.push(value.as_i64().ok_or_else(mismatch)?),
            (Shape::Float, Values::Float(v)) => v.push(value.as_f64().ok_or_else(mismatch)?),
            (Shape::Text, Values::Bytes(v)) => v.push(ByteArray::from(value.as_str().ok_or_else(mismatch)?)),
            (Shape::Json, Values::Bytes(v)) => {
                v.push(ByteArray::from(serde_json::to_vec(value).map_err(|_| mismatch())?))
            }
            _ => return Err(mismatch()),
        }
        self.levels(def, rep);
        Ok(())
    }
}

/// Write `value` (absent or null: `None`) of `shape` into its leaves. `def` is the
/// definition level its parent reached, `rep` the repetition level of this occurrence,
/// `depth` the number of repeated ancestors.
fn shred(
    shape: &Shape,
    value: Option<&Value>,
    rep: i16,
    def: i16,
    depth: i16,
    leaves: &mut [Leaf],
    at: &str,
) -> Result<(), ParquetError> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        leaves.iter_mut().for_each(|leaf| leaf.levels(def, rep));
        return Ok(());
    };
    match (shape, value) {
        (Shape::Struct(fields), Value::Object(map)) => {
            let mut rest = leaves;
            for (name, field) in fields {
                let (mine, others) = rest.split_at_mut(field.leaves());
                shred(field, map.get(name), rep, def + 1, depth, mine, name)?;
                rest = others;
            }
            Ok(())
        }
        (Shape::List(_), Value::Array(items)) if items.is_empty() => {
            leaves.iter_mut().for_each(|leaf| leaf.levels(def + 1, rep));
            Ok(())
        }
        (Shape::List(element), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let item_rep = if i == 0 { rep } else { depth + 1 };
                shred(element, Some(item), item_rep, def + 2, depth + 1, leaves, at)?;
            }
            Ok(())
        }
        (Shape::Struct(_) | Shape::List(_) | Shape::Unknown, _) => Err(ParquetError::Mismatch(at.to_owned())),
        (leaf_shape, value) => match leaves {
            [leaf] => leaf.push(leaf_shape, value, def + 1, rep, at),
            _ => Err(ParquetError::Mismatch(at.to_owned())),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;
    use serde_json::json;

    /// Read a file back with the crate's record reader, nulls dropped (a key a row
    /// lacks reads as null).
    fn read(bytes: Vec<u8>) -> Vec<Value> {
        fn value(field: &Field) -> Value {
            match field {
                Field::Null => Value::Null,
                Field::Bool(b) => json!(b),
                Field::Long(n) => json!(n),
                Field::Double(x) => json!(x),
                Field::Str(s) => json!(s),
                Field::ListInternal(list) => Value::Array(list.elements().iter().map(value).collect()),
                Field::Group(row) => Value::Object(
                    row.get_column_iter()
                        .filter(|(_, f)| !matches!(f, Field::Null))
                        .map(|(k, f)| (k.clone(), value(f)))
                        .collect(),
                ),
                other => panic!("unexpected {other:?}"),
            }
        }
        let reader = SerializedFileReader::new(bytes::Bytes::from(bytes)).unwrap();
        reader
            .get_row_iter(None)
            .unwrap()
            .map(|row| value(&Field::Group(row.unwrap())))
            .collect()
    }

    fn without_nulls(v: &Value) -> Value {
        match v {
            Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (k.clone(), without_nulls(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    #[test]
    fn nested_lists_and_structs_round_trip() {
        let rows = vec![
            json!({"messages": [
                {"role": "user", "content": "fix it"},
                {"role": "assistant", "content": "", "tool_calls": [
                    {"id": "c1", "type": "function", "function": {"name": "Read", "arguments": {"path": "a.rs", "limit": 20}}},
                    {"id": "c2", "type": "function", "function": {"name": "Bash", "arguments": {"command": "cargo test"}}}
                ]},
                {"role": "tool", "content": "ok", "tool_call_id": "c1"},
                {"role": "assistant", "content": "done"}
            ], "tools": [{"type": "function", "function": {"name": "Read", "parameters": {"type": "object", "properties": {"path": {"type": "string"}}}}}]}),
            json!({"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y", "tool_calls": []}], "tools": []}),
            json!({"messages": [], "tools": null, "score": 0.5}),
            json!({"messages": [{"role": "user", "content": "z"}], "tools": [], "score": 2}),
        ];
        let shape = infer(&rows);
        let back = read(encode(&rows, &shape).unwrap());
        let expected: Vec<Value> = rows.iter().map(without_nulls).collect();
        // An integer in a float column reads as a float.
        let mut expected = expected;
        expected[3]["score"] = json!(2.0);
        assert_eq!(back, expected);
    }

    #[test]
    fn values_without_a_common_type_are_json_text() {
        let rows = vec![
            json!({"a": {"input": "text"}, "empty": {}, "big": 18446744073709551615u64}),
            json!({"a": {"input": {"nested": [1, 2]}}, "empty": {}}),
        ];
        let shape = infer(&rows);
        let back = read(encode(&rows, &shape).unwrap());
        assert_eq!(back[0]["a"]["input"], json!("\"text\""));
        assert_eq!(back[1]["a"]["input"], json!("{\"nested\":[1,2]}"));
        assert_eq!(back[0]["empty"], json!("{}"));
        assert_eq!(back[0]["big"], json!("18446744073709551615"));
    }

    #[test]
    fn row_groups_and_row_counts() {
        let rows: Vec<Value> = (0..2500)
            .map(|i| json!({"i": i, "tags": ["a", i.to_string()]}))
            .collect();
        let bytes = encode(&rows, &infer(&rows)).unwrap();
        assert_eq!(row_count(&bytes), Some(2500));
        let reader = SerializedFileReader::new(bytes::Bytes::from(bytes.clone())).unwrap();
        assert_eq!(reader.metadata().num_row_groups(), 3);
        assert_eq!(read(bytes)[2499], json!({"i": 2499, "tags": ["a", "2499"]}));
        assert_eq!(row_count(b"{\"not\": \"parquet\"}\n"), None);
    }

    #[test]
    fn the_same_rows_give_the_same_bytes() {
        let rows = vec![json!({"b": 1, "a": ["x"]}), json!({"a": [], "c": true})];
        let shape = infer(&rows);
        assert_eq!(encode(&rows, &shape).unwrap(), encode(&rows, &shape).unwrap());
    }
}
