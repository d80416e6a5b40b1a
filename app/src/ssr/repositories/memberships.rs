use crate::ssr::entities::memberships;
use chrono::{DateTime, Utc};
use herald::Role;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

pub async fn insert(
    db: &impl ConnectionTrait,
    organization_id: i64,
    user_id: i64,
    role: Role,
    now: DateTime<Utc>,
) -> Result<memberships::Model, DbErr> {
    memberships::ActiveModel {
        organization_id: Set(organization_id),
        user_id: Set(user_id),
        role: Set(role.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}
