use crate::ssr::entities::users;
use chrono::{DateTime, Utc};
use herald::Email;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, Set};

pub async fn count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    users::Entity::find().count(db).await
}

pub async fn find_by_email(db: &impl ConnectionTrait, email: &Email) -> Result<Option<users::Model>, DbErr> {
    users::Entity::find().filter(users::Column::Email.eq(email.as_str())).one(db).await
}

pub async fn insert(
    db: &impl ConnectionTrait,
    email: &Email,
    password_hash: String,
    is_instance_admin: bool,
    now: DateTime<Utc>,
) -> Result<users::Model, DbErr> {
    users::ActiveModel {
        email: Set(email.as_str().to_owned()),
        display_name: Set(None),
        password_hash: Set(password_hash),
        is_instance_admin: Set(is_instance_admin),
        password_changed_at: Set(now),
        last_login_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}
