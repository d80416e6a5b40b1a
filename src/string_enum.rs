//! Enums stored and sent as snake_case strings (database columns, JSON, CSS classes, badges).
//! One macro generates the string conversions and serde impls, so the database, the wire and
//! the page agree by construction.

use thiserror::Error;

/// A string that names none of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("\"{value}\" is not a valid {kind}; expected one of: {}", .expected.join(", "))]
pub struct UnknownValue {
    /// What was being parsed, in words: "component status".
    pub kind: &'static str,
    /// The text that was refused.
    pub value: String,
    /// Every valid string, so the message can list them.
    pub expected: &'static [&'static str],
}

macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident as $kind:literal {
            $( $(#[$variant_meta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$variant_meta])* $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];
            const NAMES: &'static [&'static str] = &[$($text),+];

            /// The stored and serialised form.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::string_enum::UnknownValue;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                match value {
                    $($text => Ok(Self::$variant),)+
                    _ => Err($crate::string_enum::UnknownValue {
                        kind: $kind,
                        value: value.to_owned(),
                        expected: Self::NAMES,
                    }),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                text.parse().map_err(::serde::de::Error::custom)
            }
        }

        /// A string schema listing every value, so API clients can generate the enum.
        #[cfg(feature = "openapi")]
        impl ::utoipa::PartialSchema for $name {
            fn schema() -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
                let object = ::utoipa::openapi::ObjectBuilder::new()
                    .schema_type(::utoipa::openapi::schema::Type::String)
                    .description(Some(concat!("A ", $kind, ".")))
                    .enum_values(Some(Self::NAMES.iter().copied()))
                    .build();
                ::utoipa::openapi::RefOr::T(::utoipa::openapi::schema::Schema::Object(object))
            }
        }

        #[cfg(feature = "openapi")]
        impl ::utoipa::ToSchema for $name {}
    };
}

pub(crate) use string_enum;

/// Checks, for any string enum, that every value survives text and JSON round trips and that
/// unknown text is refused with a message listing the valid values.
#[cfg(test)]
pub(crate) fn assert_round_trips<T>(all: &[T], expected_names: &[&str])
where
    T: Copy
        + std::fmt::Debug
        + PartialEq
        + std::fmt::Display
        + std::str::FromStr<Err = UnknownValue>
        + serde::Serialize
        + serde::de::DeserializeOwned,
{
    let names: Vec<String> = all.iter().map(ToString::to_string).collect();
    assert_eq!(names, expected_names);
    for value in all {
        assert_eq!(value.to_string().parse::<T>().ok(), Some(*value));
        let json = serde_json::to_string(value).unwrap_or_default();
        assert_eq!(json, format!("\"{value}\""));
        assert_eq!(serde_json::from_str::<T>(&json).ok(), Some(*value));
    }
    let listing = format!("; expected one of: {}", expected_names.join(", "));
    let shouting = expected_names[0].to_uppercase();
    let padded = format!(" {}", expected_names[0]);
    for bad in ["", "nonsense", "major outage", shouting.as_str(), padded.as_str()] {
        let error = bad.parse::<T>().err().unwrap_or_else(|| panic!("{bad:?} was accepted"));
        assert_eq!(error.value, bad);
        assert_eq!(error.expected, expected_names);
        let message = error.to_string();
        assert!(message.starts_with(&format!("\"{bad}\" is not a valid {}", error.kind)), "{message}");
        assert!(message.ends_with(&listing), "{message}");
    }
    assert!(serde_json::from_str::<T>("\"nonsense\"").is_err());
    assert!(serde_json::from_str::<T>("42").is_err());
}
