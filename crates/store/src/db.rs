//! One way to reach the two engines. A query is written once, with `$1`
//! placeholders (both engines speak them), and runs on whichever engine the
//! store was opened on, with native parameters and rows: a date stays a
//! date and JSON stays JSONB on PostgreSQL (this is not `sqlx::Any`, which
//! has neither). SQL that differs between the engines is chosen with
//! [`Conn::engine`] at the one place it differs.
//!
//! Only the store writes SQL: [`Query`] and [`Row`] are crate-private.
//! Callers hold a connection ([`Conn`]): a [`crate::Read`], or the
//! [`crate::Write`] transaction that is the only way to change state.

use futures::TryStreamExt;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Arguments, Postgres, Row as _, Sqlite};
use time::{Date, OffsetDateTime};

use crate::{Engine, Result, StoreError};

pub(crate) mod sealed {
    /// The engine's own connection, lent for one statement.
    pub enum Raw<'c> {
        Sqlite(&'c mut sqlx::SqliteConnection),
        Postgres(&'c mut sqlx::PgConnection),
    }

    pub trait Sealed {
        fn raw(&mut self) -> Raw<'_>;
    }
}

use sealed::Raw;

/// A connection of either engine: a read connection, or a write
/// transaction. Store functions take `&mut impl Conn` to read and
/// `&mut Write` to change state.
pub trait Conn: sealed::Sealed + Send {
    fn engine(&mut self) -> Engine {
        match self.raw() {
            Raw::Sqlite(_) => Engine::Sqlite,
            Raw::Postgres(_) => Engine::Postgres,
        }
    }
}

impl<T: sealed::Sealed + Send> Conn for T {}

/// A value bound to a query, typed, so that a NULL keeps its type on
/// PostgreSQL and each engine gets its native encoding.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    I64(Option<i64>),
    Text(Option<String>),
    Bool(Option<bool>),
    Time(Option<OffsetDateTime>),
    Date(Option<Date>),
    /// BLOB on SQLite, BYTEA on PostgreSQL.
    Bytes(Option<Vec<u8>>),
    /// TEXT on SQLite, JSONB on PostgreSQL.
    Json(serde_json::Value),
}

/// JSON to bind (TEXT on SQLite, JSONB on PostgreSQL).
pub(crate) struct Json<'a>(pub &'a serde_json::Value);

macro_rules! value_from {
    ($variant:ident: $($t:ty => $conv:expr),+ $(,)?) => {
        $(impl From<$t> for Value {
            #[allow(clippy::redundant_closure_call)]
            fn from(v: $t) -> Value { Value::$variant(($conv)(v)) }
        })+
    };
}

value_from!(I64: i64 => Some, Option<i64> => |v| v, i32 => |v: i32| Some(i64::from(v)), &i64 => |v: &i64| Some(*v));
value_from!(Text: &str => |v: &str| Some(v.to_owned()), String => Some, &String => |v: &String| Some(v.clone()),
    Option<&str> => |v: Option<&str>| v.map(str::to_owned), Option<String> => |v| v, &Option<String> => |v: &Option<String>| v.clone());
value_from!(Bool: bool => Some, Option<bool> => |v| v);
// Instants are bound in UTC: SQLite keeps them as RFC 3339 text and
// compares them as text, so an instant written at +03:00 would sort after
// a later one written in UTC (a local midnight missed the day's rows).
value_from!(Time: OffsetDateTime => |v| Some(in_utc(v)), Option<OffsetDateTime> => |v: Option<OffsetDateTime>| v.map(in_utc));

/// The same instant at UTC; one too far out to shift stays as it is.
fn in_utc(t: OffsetDateTime) -> OffsetDateTime {
    t.checked_to_offset(time::UtcOffset::UTC).unwrap_or(t)
}
value_from!(Date: Date => Some, Option<Date> => |v| v);
value_from!(Bytes: Vec<u8> => Some);

impl From<Json<'_>> for Value {
    fn from(v: Json<'_>) -> Value {
        Value::Json(v.0.clone())
    }
}

impl Value {
    fn add_sqlite(
        self,
        a: &mut SqliteArguments<'_>,
    ) -> std::result::Result<(), sqlx::error::BoxDynError> {
        match self {
            Value::I64(v) => a.add(v),
            Value::Text(v) => a.add(v),
            Value::Bool(v) => a.add(v),
            Value::Time(v) => a.add(v),
            Value::Date(v) => a.add(v),
            Value::Bytes(v) => a.add(v),
            Value::Json(v) => a.add(v.to_string()),
        }
    }

    fn add_pg(self, a: &mut PgArguments) -> std::result::Result<(), sqlx::error::BoxDynError> {
        match self {
            Value::I64(v) => a.add(v),
            Value::Text(v) => a.add(v),
            Value::Bool(v) => a.add(v),
            Value::Time(v) => a.add(v),
            Value::Date(v) => a.add(v),
            Value::Bytes(v) => a.add(v),
            Value::Json(v) => a.add(sqlx::types::Json(v)),
        }
    }
}

/// A statement with its parameters, written once for both engines.
#[derive(Debug, Clone, Default)]
pub(crate) struct Query {
    sql: String,
    args: Vec<Value>,
}

/// A statement; bind its `$1`, `$2`… in order with [`Query::bind`].
pub(crate) fn query(sql: impl Into<String>) -> Query {
    Query {
        sql: sql.into(),
        args: Vec::new(),
    }
}

fn bind_error(e: sqlx::error::BoxDynError) -> StoreError {
    StoreError::Internal(anyhow::anyhow!("cannot bind a parameter: {e}"))
}

impl Query {
    pub fn bind(mut self, v: impl Into<Value>) -> Self {
        self.args.push(v.into());
        self
    }

    /// Appends SQL text.
    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    /// Appends the next placeholder and binds `v` to it.
    pub fn push_bind(&mut self, v: impl Into<Value>) -> &mut Self {
        self.args.push(v.into());
        let n = self.args.len();
        self.sql.push('$');
        self.sql.push_str(&n.to_string());
        self
    }

    /// Appends `(a, b, c)` with one placeholder per item (an `IN` list).
    pub fn push_list<V: Into<Value>>(&mut self, items: impl IntoIterator<Item = V>) -> &mut Self {
        self.sql.push('(');
        for (i, v) in items.into_iter().enumerate() {
            if i > 0 {
                self.sql.push_str(", ");
            }
            self.push_bind(v);
        }
        self.sql.push(')');
        self
    }

    /// Appends `VALUES (…), (…)` with one row per item; `row` binds the
    /// item's columns in order.
    pub fn push_values<T>(
        &mut self,
        items: impl IntoIterator<Item = T>,
        mut row: impl FnMut(&mut RowValues<'_>, T),
    ) -> &mut Self {
        self.sql.push_str("VALUES ");
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.sql.push_str(", ");
            }
            self.sql.push('(');
            let mut r = RowValues {
                q: self,
                first: true,
            };
            row(&mut r, item);
            self.sql.push(')');
        }
        self
    }

    fn sqlite_args(self) -> Result<(String, SqliteArguments<'static>)> {
        let mut a = SqliteArguments::default();
        for v in self.args {
            v.add_sqlite(&mut a).map_err(bind_error)?;
        }
        Ok((self.sql, a))
    }

    fn pg_args(self) -> Result<(String, PgArguments)> {
        let mut a = PgArguments::default();
        for v in self.args {
            v.add_pg(&mut a).map_err(bind_error)?;
        }
        Ok((self.sql, a))
    }

    /// Runs it; the number of rows it changed.
    pub async fn execute(self, c: &mut impl Conn) -> Result<u64> {
        Ok(match c.raw() {
            Raw::Sqlite(conn) => {
                let (sql, a) = self.sqlite_args()?;
                sqlx::query_with(&sql, a)
                    .execute(conn)
                    .await?
                    .rows_affected()
            }
            Raw::Postgres(conn) => {
                let (sql, a) = self.pg_args()?;
                sqlx::query_with(&sql, a)
                    .execute(conn)
                    .await?
                    .rows_affected()
            }
        })
    }

    pub async fn fetch_all(self, c: &mut impl Conn) -> Result<Vec<Row>> {
        Ok(match c.raw() {
            Raw::Sqlite(conn) => {
                let (sql, a) = self.sqlite_args()?;
                sqlx::query_with(&sql, a)
                    .fetch_all(conn)
                    .await?
                    .into_iter()
                    .map(Row::Sqlite)
                    .collect()
            }
            Raw::Postgres(conn) => {
                let (sql, a) = self.pg_args()?;
                sqlx::query_with(&sql, a)
                    .fetch_all(conn)
                    .await?
                    .into_iter()
                    .map(Row::Postgres)
                    .collect()
            }
        })
    }

    pub async fn fetch_optional(self, c: &mut impl Conn) -> Result<Option<Row>> {
        Ok(match c.raw() {
            Raw::Sqlite(conn) => {
                let (sql, a) = self.sqlite_args()?;
                sqlx::query_with(&sql, a)
                    .fetch_optional(conn)
                    .await?
                    .map(Row::Sqlite)
            }
            Raw::Postgres(conn) => {
                let (sql, a) = self.pg_args()?;
                sqlx::query_with(&sql, a)
                    .fetch_optional(conn)
                    .await?
                    .map(Row::Postgres)
            }
        })
    }

    /// The one row it must return; `NotFound` when there is none.
    pub async fn fetch_one(self, c: &mut impl Conn) -> Result<Row> {
        self.fetch_optional(c).await?.ok_or(StoreError::NotFound)
    }

    /// The first column of the one row.
    pub async fn scalar<T: Column>(self, c: &mut impl Conn) -> Result<T> {
        self.fetch_one(c).await?.get(0)
    }

    /// The first column of the row, if there is one.
    pub async fn scalar_opt<T: Column>(self, c: &mut impl Conn) -> Result<Option<T>> {
        self.fetch_optional(c).await?.map(|r| r.get(0)).transpose()
    }

    /// The first column of every row.
    pub async fn scalars<T: Column>(self, c: &mut impl Conn) -> Result<Vec<T>> {
        self.fetch_all(c).await?.iter().map(|r| r.get(0)).collect()
    }

    /// Streams the rows to `each`, one at a time (memory stays flat however
    /// many there are); how many there were.
    pub async fn for_each(
        self,
        c: &mut impl Conn,
        mut each: impl FnMut(Row) -> Result<()> + Send,
    ) -> Result<u64> {
        let mut n = 0;
        match c.raw() {
            Raw::Sqlite(conn) => {
                let (sql, a) = self.sqlite_args()?;
                let mut rows = sqlx::query_with(&sql, a).fetch(conn);
                while let Some(r) = rows.try_next().await? {
                    each(Row::Sqlite(r))?;
                    n += 1;
                }
            }
            Raw::Postgres(conn) => {
                let (sql, a) = self.pg_args()?;
                let mut rows = sqlx::query_with(&sql, a).fetch(conn);
                while let Some(r) = rows.try_next().await? {
                    each(Row::Postgres(r))?;
                    n += 1;
                }
            }
        }
        Ok(n)
    }
}

/// The columns of one row of [`Query::push_values`].
pub(crate) struct RowValues<'q> {
    q: &'q mut Query,
    first: bool,
}

impl RowValues<'_> {
    pub fn bind(&mut self, v: impl Into<Value>) -> &mut Self {
        if !self.first {
            self.q.sql.push_str(", ");
        }
        self.first = false;
        self.q.push_bind(v);
        self
    }
}

/// A column type both engines decode natively.
pub(crate) trait Column:
    Sized
    + for<'r> sqlx::Decode<'r, Sqlite>
    + sqlx::Type<Sqlite>
    + for<'r> sqlx::Decode<'r, Postgres>
    + sqlx::Type<Postgres>
{
}

impl<T> Column for T where
    T: Sized
        + for<'r> sqlx::Decode<'r, Sqlite>
        + sqlx::Type<Sqlite>
        + for<'r> sqlx::Decode<'r, Postgres>
        + sqlx::Type<Postgres>
{
}

/// A column named or numbered.
pub(crate) trait Index:
    sqlx::ColumnIndex<SqliteRow> + sqlx::ColumnIndex<PgRow> + Copy
{
}
impl<T> Index for T where T: sqlx::ColumnIndex<SqliteRow> + sqlx::ColumnIndex<PgRow> + Copy {}

/// A row of either engine.
pub(crate) enum Row {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

impl Row {
    pub fn get<T: Column>(&self, col: impl Index) -> Result<T> {
        Ok(match self {
            Row::Sqlite(r) => r.try_get(col)?,
            Row::Postgres(r) => r.try_get(col)?,
        })
    }

    /// A JSON column (TEXT on SQLite, JSONB on PostgreSQL).
    pub fn json(&self, col: &str) -> Result<serde_json::Value> {
        match self {
            Row::Sqlite(r) => {
                let s: String = r.try_get(col)?;
                serde_json::from_str(&s).map_err(|e| {
                    StoreError::Internal(anyhow::anyhow!("stored JSON is unreadable: {e}"))
                })
            }
            Row::Postgres(r) => Ok(r.try_get::<serde_json::Value, _>(col)?),
        }
    }

    /// A comma-separated list kept in one TEXT column.
    pub fn list(&self, col: &str) -> Result<Vec<String>> {
        let s: String = self.get(col)?;
        Ok(s.split(',')
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect())
    }
}

/// Turns a broken constraint of the data into the conflict its caller
/// names (a unique value taken, a reference to nothing), and every other
/// error into the store's.
pub(crate) fn on_constraint(
    unique: Option<&'static str>,
    foreign: Option<&'static str>,
) -> impl Fn(StoreError) -> StoreError {
    move |e| match &e {
        StoreError::Sql(sqlx::Error::Database(d))
            if d.is_unique_violation() && unique.is_some() =>
        {
            StoreError::Conflict(unique.unwrap_or_default())
        }
        StoreError::Sql(sqlx::Error::Database(d))
            if d.is_foreign_key_violation() && foreign.is_some() =>
        {
            StoreError::Conflict(foreign.unwrap_or_default())
        }
        _ => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Connection;
    use time::macros::datetime;

    struct Bare(sqlx::SqliteConnection);
    impl sealed::Sealed for Bare {
        fn raw(&mut self) -> sealed::Raw<'_> {
            sealed::Raw::Sqlite(&mut self.0)
        }
    }

    /// A document registered at 23:30 UTC on 30 November was registered on
    /// 1 December in Türkiye: counting from the local midnight (00:00 +03,
    /// 21:00 UTC) must find it on SQLite, whose instants are text.
    #[tokio::test]
    async fn a_local_midnight_finds_the_rows_after_it() {
        let mut c = Bare(
            sqlx::SqliteConnection::connect("sqlite::memory:")
                .await
                .unwrap(),
        );
        query("CREATE TABLE t (at TEXT NOT NULL)")
            .execute(&mut c)
            .await
            .unwrap();
        query("INSERT INTO t (at) VALUES ($1)")
            .bind(datetime!(2026-11-30 23:30 UTC))
            .execute(&mut c)
            .await
            .unwrap();
        let n: i64 = query("SELECT COUNT(*) FROM t WHERE at >= $1")
            .bind(datetime!(2026-12-01 00:00 +3))
            .scalar(&mut c)
            .await
            .unwrap();
        assert_eq!(n, 1);
        let later: i64 = query("SELECT COUNT(*) FROM t WHERE at >= $1")
            .bind(Some(datetime!(2026-12-01 02:31 +3)))
            .scalar(&mut c)
            .await
            .unwrap();
        assert_eq!(later, 0);
    }
}
