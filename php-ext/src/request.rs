//! `MyPOS\IPC\Request`: a signed request, ready to post.

use crate::modifiers::final_class;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use ipc::SignedRequest;

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

    /// The URL to post to.
    pub fn action_url(&self) -> String {
        self.inner.action_url().to_string()
    }

    /// The Signature value.
    pub fn signature(&self) -> String {
        self.inner.signature().to_string()
    }
}
