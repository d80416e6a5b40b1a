//! Validated values: each can only be constructed through `parse`, which says in plain words
//! what is wrong with a bad input, so the rest of the code never re-checks them.

mod colour;
mod domain;
mod email;
mod locale;
mod slug;
mod text;
mod time_zone;
mod url;

pub use colour::{Colour, ColourError};
pub use domain::{DomainName, DomainNameError};
pub use email::{Email, EmailError};
pub use locale::Locale;
pub use slug::{Slug, SlugError};
pub use text::{BoundedText, Name, TextError, Title};
pub use time_zone::{TimeZoneError, TimeZoneName};
pub use url::{HttpUrl, UrlError};

/// The string side of a validated value: `Serialize` as the string, `Display`, `AsRef<str>`
/// and `TryFrom<String>` through `parse`. `Deserialize` is derived on the type itself with
/// `#[serde(try_from = "String")]`, so what comes off the wire is validated exactly like a form.
macro_rules! string_value {
    ($type:ty, $error:ty) => {
        impl ::serde::Serialize for $type {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
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

        impl TryFrom<String> for $type {
            type Error = $error;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                <$type>::parse(value)
            }
        }

        /// On the wire it is a string; `parse` says what a valid one looks like.
        #[cfg(feature = "openapi")]
        impl ::utoipa::PartialSchema for $type {
            fn schema() -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
                let object = ::utoipa::openapi::ObjectBuilder::new()
                    .schema_type(::utoipa::openapi::schema::Type::String)
                    .build();
                ::utoipa::openapi::RefOr::T(::utoipa::openapi::schema::Schema::Object(object))
            }
        }

        #[cfg(feature = "openapi")]
        impl ::utoipa::ToSchema for $type {}
    };
}

pub(crate) use string_value;
