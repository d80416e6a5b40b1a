mod get_directory;
pub use get_directory::*;
