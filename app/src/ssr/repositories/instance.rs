use crate::ssr::entities::instance;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, Set};

/// The only id the `instance` table ever holds.
const INSTANCE_ROW: i32 = 1;

pub async fn is_set_up(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    Ok(instance::Entity::find_by_id(INSTANCE_ROW).one(db).await?.is_some())
}

/// Records that first-run setup happened. Fails with a unique-key violation when it already
/// had, which is what makes setup happen once even under concurrent requests.
pub async fn mark_set_up(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<(), DbErr> {
    instance::ActiveModel { id: Set(INSTANCE_ROW), setup_completed_at: Set(now) }.insert(db).await.map(|_| ())
}
