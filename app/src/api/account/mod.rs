mod change_password;
mod get_account;
mod sign_in;
mod sign_out;
pub use change_password::*;
pub use get_account::*;
pub use sign_in::*;
pub use sign_out::*;
