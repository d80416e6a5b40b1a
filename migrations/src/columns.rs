//! Column and constraint shorthands shared by the migrations, so every table spells ids,
//! timestamps and references the same way on both databases.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema as col;

/// Every table's surrogate key: a 64-bit integer the database assigns.
pub fn id() -> ColumnDef {
    col::big_pk_auto("id")
}

/// A reference to another table's `id`.
pub fn reference(name: &'static str) -> ColumnDef {
    col::big_integer(name)
}

pub fn reference_null(name: &'static str) -> ColumnDef {
    col::big_integer_null(name)
}

/// An instant. Always UTC in the application; `timestamptz` on PostgreSQL, RFC 3339 text on
/// SQLite (which sorts correctly as text because the offset is always `+00:00`).
pub fn instant(name: &'static str) -> ColumnDef {
    col::timestamp_with_time_zone(name)
}

pub fn instant_null(name: &'static str) -> ColumnDef {
    col::timestamp_with_time_zone_null(name)
}

/// A short machine string: enum values (`major_outage`), slugs, keys, locales.
pub fn code(name: &'static str, len: u32) -> ColumnDef {
    col::string_len(name, len)
}

pub fn code_null(name: &'static str, len: u32) -> ColumnDef {
    col::string_len_null(name, len)
}

pub fn flag(name: &'static str, default: bool) -> ColumnDef {
    col::boolean(name).default(default).take()
}

pub fn count(name: &'static str, default: i32) -> ColumnDef {
    col::integer(name).default(default).take()
}

/// `created_at` and `updated_at`.
pub fn timestamps(table: &mut TableCreateStatement) -> &mut TableCreateStatement {
    table.col(instant("created_at")).col(instant("updated_at"))
}

/// Optimistic-concurrency counter: an edit carries the version it was made against, so a stale
/// form submitted after someone else's change is refused instead of silently overwriting it.
pub fn version() -> ColumnDef {
    count("version", 1)
}

/// What happens to a row when the row it references is deleted.
#[derive(Clone, Copy)]
pub enum OnDelete {
    /// The row belongs to the referenced one and goes with it.
    Cascade,
    /// The row outlives the referenced one (e.g. an audit entry whose author was removed).
    SetNull,
}

pub fn foreign_key(
    table: &'static str,
    column: &'static str,
    target: &'static str,
    on_delete: OnDelete,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(target, "id")
        .on_delete(match on_delete {
            OnDelete::Cascade => ForeignKeyAction::Cascade,
            OnDelete::SetNull => ForeignKeyAction::SetNull,
        })
        .on_update(ForeignKeyAction::NoAction)
        .take()
}

/// The `organization_id` column with its cascading foreign key: every tenant-owned row carries
/// it, so each query is scoped to one organization by an indexed column.
pub fn owned_by_organization(table: &'static str, create: &mut TableCreateStatement) {
    create.col(reference("organization_id")).foreign_key(&mut foreign_key(
        table,
        "organization_id",
        "organizations",
        OnDelete::Cascade,
    ));
}

pub fn index(table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(format!("idx_{table}_{}", columns.join("_"))).table(table);
    for column in columns {
        index.col(*column);
    }
    index
}

pub fn unique_index(table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut index = index(table, columns);
    index.name(format!("uq_{table}_{}", columns.join("_"))).unique();
    index
}

/// Creates a table and then its indexes.
pub async fn create_table_with_indexes(
    manager: &SchemaManager<'_>,
    table: TableCreateStatement,
    indexes: Vec<IndexCreateStatement>,
) -> Result<(), DbErr> {
    manager.create_table(table).await?;
    for index in indexes {
        manager.create_index(index).await?;
    }
    Ok(())
}

pub async fn drop_tables(manager: &SchemaManager<'_>, tables: &[&'static str]) -> Result<(), DbErr> {
    for table in tables {
        manager.drop_table(Table::drop().table(*table).if_exists().take()).await?;
    }
    Ok(())
}
