//! Lean JSON for the catalogers of JSON files (npm lock files, Composer
//! lists): only what a cataloger reads is kept, so memory follows that
//! and not the file (a `license` holding millions of numbers, or a field
//! nobody reads, costs nothing), and a map or list of packages keeps at
//! most [`crate::MAX_PACKAGES`] entries, the rest passed over and counted.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// Most items of an array kept ([`Lean::List`]): licenses are a few.
const MAX_LIST: usize = 64;

/// A JSON value as far as a cataloger reads one.
#[derive(Debug, Default)]
pub(crate) enum Lean {
    Str(String),
    Bool(bool),
    /// An object: its `type` when that is a string (the old npm license
    /// object, `{"type": "MIT"}`), its other keys passed over.
    Object(Option<String>),
    /// An array's strings and objects (the first [`MAX_LIST`]); nested
    /// arrays and other items are passed over.
    List(Vec<Lean>),
    /// A number, `null`, or what was passed over.
    #[default]
    Other,
}

impl Lean {
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Lean::Str(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self {
            Lean::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

/// How deep a [`Lean`] is read: a value, an item of an array, or an
/// object's `type`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Value,
    Item,
    Type,
}

impl<'de> DeserializeSeed<'de> for Level {
    type Value = Lean;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Lean, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Level {
    type Value = Lean;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Lean, E> {
        Ok(Lean::Str(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Lean, E> {
        Ok(Lean::Str(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Lean, E> {
        Ok(if self == Level::Value {
            Lean::Bool(v)
        } else {
            Lean::Other
        })
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Lean, E> {
        Ok(Lean::Other)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Lean, E> {
        Ok(Lean::Other)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Lean, E> {
        Ok(Lean::Other)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Lean, E> {
        Ok(Lean::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Lean, A::Error> {
        let mut kind = None;
        while let Some(key) = map.next_key::<KeyIs>()? {
            if self != Level::Type && key.0 {
                kind = match map.next_value_seed(Level::Type)? {
                    Lean::Str(s) => Some(s),
                    _ => None,
                };
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(if self == Level::Type {
            Lean::Other
        } else {
            Lean::Object(kind)
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Lean, A::Error> {
        if self != Level::Value {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(Lean::Other);
        }
        let mut items = Vec::new();
        while items.len() < MAX_LIST {
            match seq.next_element_seed(Level::Item)? {
                Some(Lean::Other) => {}
                Some(item) => items.push(item),
                None => return Ok(Lean::List(items)),
            }
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Lean::List(items))
    }
}

impl<'de> Deserialize<'de> for Lean {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Lean, D::Error> {
        d.deserialize_any(Level::Value)
    }
}

/// Whether an object's key is `type`, without keeping the key.
struct KeyIs(bool);

impl<'de> Deserialize<'de> for KeyIs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<KeyIs, D::Error> {
        struct IsType;
        impl Visitor<'_> for IsType {
            type Value = KeyIs;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyIs, E> {
                Ok(KeyIs(v == "type"))
            }
        }
        d.deserialize_str(IsType)
    }
}

/// A map or list of packages, at most [`crate::MAX_PACKAGES`] entries
/// kept (a map keeps the last value of a key, as a map does); `more`
/// counts those passed over.
#[derive(Debug)]
pub(crate) struct Capped<C> {
    pub kept: C,
    pub more: usize,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Capped<BTreeMap<String, T>> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Entries<T> {
            type Value = Capped<BTreeMap<String, T>>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Capped {
                    kept: BTreeMap::new(),
                    more: 0,
                };
                while let Some(key) = map.next_key::<String>()? {
                    if out.kept.len() < crate::MAX_PACKAGES || out.kept.contains_key(&key) {
                        let value = map.next_value()?;
                        out.kept.insert(key, value);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                        out.more += 1;
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(Entries(PhantomData))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Capped<Vec<T>> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Items<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Items<T> {
            type Value = Capped<Vec<T>>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a sequence")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Capped {
                    kept: Vec::new(),
                    more: 0,
                };
                while out.kept.len() < crate::MAX_PACKAGES {
                    match seq.next_element()? {
                        Some(item) => out.kept.push(item),
                        None => return Ok(out),
                    }
                }
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    out.more += 1;
                }
                Ok(out)
            }
        }
        d.deserialize_seq(Items(PhantomData))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn lean(json: &str) -> Lean {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn keeps_strings_bools_types_and_lists_of_them_only() {
        assert_eq!(lean(r#""MIT""#).as_str(), Some("MIT"));
        assert_eq!(lean("true").as_bool(), Some(true));
        assert!(matches!(lean("12"), Lean::Other));
        assert!(matches!(lean("null"), Lean::Other));
        assert!(
            matches!(lean(r#"{"url": "x", "type": "BSD", "more": [1]}"#), Lean::Object(Some(t)) if t == "BSD")
        );
        assert!(matches!(lean(r#"{"type": 1}"#), Lean::Object(None)));
        let Lean::List(items) = lean(r#"["MIT", 1, [["deep"]], {"type": "ISC"}, {"type": ["x"]}]"#)
        else {
            panic!("a list");
        };
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].as_str(), Some("MIT"));
        assert!(matches!(&items[1], Lean::Object(Some(t)) if t == "ISC"));
        assert!(matches!(&items[2], Lean::Object(None)));
    }

    #[test]
    fn a_huge_array_keeps_a_few_items() {
        let json = format!("[{}\"x\"]", "\"a\",".repeat(100_000));
        let Lean::List(items) = lean(&json) else {
            panic!("a list");
        };
        assert_eq!(items.len(), MAX_LIST);
    }

    #[test]
    fn capped_maps_and_lists_count_what_they_pass_over() {
        let n = crate::MAX_PACKAGES + 3;
        let map = format!(
            "{{{}}}",
            (0..n)
                .map(|i| format!("\"k{i}\":{i}"))
                .collect::<Vec<_>>()
                .join(",")
        );
        let capped: Capped<BTreeMap<String, u64>> = serde_json::from_str(&map).unwrap();
        assert_eq!((capped.kept.len(), capped.more), (crate::MAX_PACKAGES, 3));
        let list = format!("[{}1]", "1,".repeat(n - 1));
        let capped: Capped<Vec<u64>> = serde_json::from_str(&list).unwrap();
        assert_eq!((capped.kept.len(), capped.more), (crate::MAX_PACKAGES, 3));
        let dup: Capped<BTreeMap<String, u64>> = serde_json::from_str(r#"{"a":1,"a":2}"#).unwrap();
        assert_eq!(dup.kept.get("a"), Some(&2));
    }
}
