//! An organization that changes its address keeps its old one as a redirect, so links in
//! emails, feed readers, embeds, badges and bookmarks keep working, and nobody else can take
//! the old address over and catch its visitors.

use crate::columns::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut redirects = Table::create();
        redirects.table("slug_redirects").col(id()).col(code("slug", 48).unique_key());
        owned_by_organization("slug_redirects", &mut redirects);
        redirects.col(instant("created_at"));
        create_table_with_indexes(manager, redirects, vec![index("slug_redirects", &["organization_id"])]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["slug_redirects"]).await
    }
}
