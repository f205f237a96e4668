//! `MyPOS\IPC\Request`: a signed request, ready to post.

use crate::modifiers::final_class;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use ipc::SignedRequest;

use crate::args::Str;
use crate::errors::{from_core, guard};
use crate::output::fields_array;

/// A signed request.
#[php_class]
#[php(name = "MyPOS\\IPC\\Request")]
#[php(modifier = final_class)]
#[derive(Debug)]
pub struct Request {
    inner: SignedRequest,
}

impl Request {
    /// Wraps a signed request.
    pub fn new(inner: SignedRequest) -> Self {
        Request { inner }
    }
}

#[php_impl]
impl Request {
    /// The IPCmethod.
    pub fn method(&self) -> String {
        self.inner.method().to_string()
    }

    /// All fields in order (name => value), Signature last.
    pub fn fields(&self) -> PhpResult<ZBox<ZendHashTable>> {
        fields_array(self.inner.fields())
    }

    /// The urlencoded body.
    pub fn body(&self) -> String {
        self.inner.body()
    }

    /// A self-submitting HTML form page.
    pub fn html_form(&self) -> String {
        self.inner.html_form()
    }

    /// Only the form, to embed in a page: it submits itself by `$formId` (never the page's
    /// first form) and shows a `$button` for browsers without JavaScript.
    pub fn html_form_embedded(&self, formId: Str, button: Str) -> PhpResult<String> {
        guard("Request::htmlFormEmbedded", || {
            const M: &str = "MyPOS\\IPC\\Request::htmlFormEmbedded";
            let id = formId.text((M, 1, "formId"))?;
            let button = button.text((M, 2, "button"))?;
            self.inner
                .html_form_embedded(id, button)
                .map_err(|e| from_core("Request::htmlFormEmbedded(): $formId", &e))
        })
    }

    /// The URL to post to.
    pub fn action_url(&self) -> String {
        self.inner.action_url().to_string()
    }

    /// The Signature value.
    pub fn signature(&self) -> String {
        self.inner.signature().to_string()
    }
}
