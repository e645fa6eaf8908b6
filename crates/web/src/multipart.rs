//! The one reader of multipart forms (a registration with its scans, a
//! letter with its attachments): the text fields come first in the form,
//! so the whole input is checked before the first file is read (a caller
//! without the right is refused before any byte is kept); then each file
//! is streamed into the blob store under its own name. A wrong field still
//! lets the files be kept, so the form comes back with them.

use axum::extract::Multipart;
use domain::code::Code;

use app::{AppError, User};

use crate::error::WebError;
use crate::AppState;

/// The text fields of a form, in order (a name may repeat).
#[derive(Debug, Clone, Default)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    /// Fields from an `application/x-www-form-urlencoded` body.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Fields {
        Fields(pairs)
    }

    /// The first value of `name`, or empty.
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
    /// Every value of `name`.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
    /// Whether `name` was sent with `value` (a ticked box of several).
    pub fn has_value(&self, name: &str, value: &str) -> bool {
        self.0.iter().any(|(k, v)| k == name && v == value)
    }
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }
}

/// What reading a form came to: its fields and the files kept (SHA-256 and
/// name), or the refusal of a field with the fields read so far (to show
/// the form again with what was typed).
pub enum Form {
    Read {
        fields: Fields,
        files: Vec<(String, String)>,
    },
    Refused {
        fields: Fields,
        files: Vec<(String, String)>,
        field: &'static str,
        code: Code,
    },
}

/// Where the files of a form go: the blob store, as the uploader's own
/// unclaimed uploads (or, in the fuzz target, nowhere). Gives the SHA-256.
#[allow(async_fn_in_trait)]
pub trait Keep {
    async fn keep(
        &mut self,
        field: axum::extract::multipart::Field<'_>,
    ) -> Result<String, AppError>;
}

struct BlobStore<'a> {
    s: &'a AppState,
    user: &'a User,
}

impl Keep for BlobStore<'_> {
    async fn keep(
        &mut self,
        field: axum::extract::multipart::Field<'_>,
    ) -> Result<String, AppError> {
        self.s
            .app
            .store_attachment(self.user, field)
            .await
            .map(|rec| rec.sha256)
    }
}

/// Reads a multipart form whose files come in fields named `file_field`.
/// Before the first file is kept, `check` must accept the fields.
pub async fn read<F, Fut>(
    s: &AppState,
    user: &User,
    mp: Multipart,
    file_field: &str,
    check: F,
) -> Result<Form, WebError>
where
    F: Fn(Fields) -> Fut,
    Fut: std::future::Future<Output = Result<(), AppError>>,
{
    read_with(mp, file_field, check, &mut BlobStore { s, user }).await
}

/// [`read`], with the files going to `keep` (the fuzz target's way in).
pub async fn read_with<F, Fut, K: Keep>(
    mut mp: Multipart,
    file_field: &str,
    check: F,
    keep: &mut K,
) -> Result<Form, WebError>
where
    F: Fn(Fields) -> Fut,
    Fut: std::future::Future<Output = Result<(), AppError>>,
{
    let mut fields = Fields::default();
    let mut files: Vec<(String, String)> = Vec::new();
    let mut checked = false;
    let mut refused: Option<(&'static str, Code)> = None;
    loop {
        let field = match mp.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return Err(WebError::bad_request()),
        };
        let name = field.name().unwrap_or("").to_owned();
        if name != file_field {
            let value = field.text().await.map_err(|_| WebError::bad_request())?;
            if domain::text::first_forbidden(&name).is_some()
                || domain::text::first_forbidden(&value).is_some()
            {
                let field = crate::extract::field_name(&name);
                return Ok(Form::Refused {
                    fields,
                    files,
                    field,
                    code: Code::ControlCharacter,
                });
            }
            fields.0.push((name, value));
            continue;
        }
        let file_name = field.file_name().unwrap_or("").trim().to_owned();
        if file_name.is_empty() {
            continue;
        }
        if !checked {
            match check(fields.clone()).await {
                Ok(()) => {}
                // A field is wrong: the files are still kept (as the
                // uploader's own unclaimed uploads, readable by him only
                // and collected after `unreferenced_upload_hours`), so the
                // form comes back with them and nothing is chosen twice.
                Err(AppError::Invalid { field, code }) => refused = Some((field, code)),
                Err(e) => return Err(e.into()),
            }
            checked = true;
        }
        match keep.keep(field).await {
            Ok(sha256) => files.push((sha256, file_name)),
            Err(AppError::Invalid { code, .. }) => {
                return Ok(Form::Refused {
                    fields,
                    files,
                    field: "file",
                    code,
                })
            }
            Err(AppError::TooLarge { .. }) => {
                return Ok(Form::Refused {
                    fields,
                    files,
                    field: "file",
                    code: Code::TooLarge,
                })
            }
            Err(e) => return Err(e.into()),
        }
    }
    match refused {
        Some((field, code)) => Ok(Form::Refused {
            fields,
            files,
            field,
            code,
        }),
        None => Ok(Form::Read { fields, files }),
    }
}
