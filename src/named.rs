//! Enums with stable names: the words config files, the command line and stored records
//! use for them. One list per enum; parsing and the CLI's possible values come from it.

/// An enum whose every variant has one stable name (and perhaps aliases).
pub trait Named: Copy + Sized + 'static {
    /// Every variant, in the order help lists them.
    const ALL: &'static [Self];

    /// The variant's name.
    fn name(self) -> &'static str;

    /// What the variant is, in a few words, for `--help`; empty when the name says it.
    fn about(self) -> &'static str {
        ""
    }

    /// Other names accepted for the variant (never written).
    fn aliases(self) -> &'static [&'static str] {
        &[]
    }

    /// The variant named `text` (or one of its aliases).
    fn from_name(text: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.name() == text || v.aliases().contains(&text))
    }

    /// The names, comma-separated, for messages.
    fn names() -> String {
        Self::ALL.iter().map(|v| v.name()).collect::<Vec<_>>().join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::Named;

    /// Every name parses back to its variant, for every enum that has names.
    fn round_trips<T: Named + PartialEq + std::fmt::Debug>() {
        for v in T::ALL {
            assert_eq!(T::from_name(v.name()), Some(*v));
            for alias in v.aliases() {
                assert_eq!(T::from_name(alias), Some(*v));
            }
        }
        assert_eq!(T::from_name("no-such-name"), None);
    }

    #[test]
    fn names_round_trip() {
        round_trips::<crate::collect::AdapterKind>();
        round_trips::<crate::schema::Kind>();
        round_trips::<crate::schema::Category>();
        round_trips::<crate::drift::ClaimStatus>();
        round_trips::<crate::index::Mode>();
    }
}
