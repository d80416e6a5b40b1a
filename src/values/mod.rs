//! Validated values: each can only be constructed through `parse`, which says in plain words
//! what is wrong with a bad input, so the rest of the code never re-checks them.

mod colour;
mod email;
mod locale;
mod slug;
mod text;
mod time_zone;
mod url;

pub use colour::{Colour, ColourError};
pub use email::{Email, EmailError};
pub use locale::Locale;
pub use slug::{Slug, SlugError};
pub use text::{BoundedText, Name, TextError, Title};
pub use time_zone::{TimeZoneError, TimeZoneName};
pub use url::{HttpUrl, UrlError};

/// Serialises a validated value as its string and validates it again when deserialising.
macro_rules! string_value_serde {
    ($type:ty) => {
        impl ::serde::Serialize for $type {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $type {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                <$type>::parse(&*text).map_err(::serde::de::Error::custom)
            }
        }

        impl ::std::fmt::Display for $type {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl AsRef<str> for $type {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
    };
}

pub(crate) use string_value_serde;
