//! The body of an answer exactly as the service sent it.
//!
//! The SDK's types have no serializer and know only the members of the SDK's version; where a
//! program hands the answer on as a document (a task definition, a pipeline), the body itself
//! carries every member the service has, including ones newer than this build.

use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::AfterDeserializationInterceptorContextRef;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

/// Keeps the raw body of a response after the SDK has read it.
#[derive(Clone, Debug, Default)]
pub(crate) struct CaptureBody(Arc<Mutex<Option<Vec<u8>>>>);

impl CaptureBody {
    pub(crate) fn take(&self) -> Option<Vec<u8>> {
        self.0.lock().ok()?.take()
    }
}

impl Intercept for CaptureBody {
    fn name(&self) -> &'static str {
        "CaptureBody"
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        // Non-streaming answers are read into memory before deserialization, so the bytes are here.
        if let Some(bytes) = context.response().body().bytes()
            && let Ok(mut slot) = self.0.lock()
        {
            *slot = Some(bytes.to_vec());
        }
        Ok(())
    }
}
