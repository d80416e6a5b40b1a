//! The role an API token acts with. A token made by a person can act with no more than that
//! person's role (checked again on every request); a token made on the command line has no
//! person behind it, and this column is what says how far it may go.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::string_len;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("api_tokens")
                    // Tokens made before roles existed act as viewers: the safe side.
                    .add_column(string_len("role", 16).default("viewer"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("api_tokens").drop_column("role").to_owned()).await
    }
}
