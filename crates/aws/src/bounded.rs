//! A bound on how much of an answer is read: the SDK reads a non-streaming answer whole into
//! memory before parsing it, so an endpoint that never ends its body (`AWS_ENDPOINT_URL`
//! pointing at something that is not AWS) grew a program by gigabytes a minute until the
//! machine ran out of memory. The answers of the calls made through these clients (pipeline
//! state and executions, task definitions and services, image details, scaling targets, every
//! read of `ecs-verify --live`) are kilobytes; past [`MAX_ANSWER_BYTES`] the call fails instead
//! (`docs/reliability.md#answers-that-are-not-answers`). S3's answers are bounded too, but for
//! [`STREAMED`]: `GetObject` streams an object of any size to a file as it arrives.

use std::pin::Pin;
use std::task::{Context, Poll};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeDeserializationInterceptorContextMut;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::ConfigBag;
use bytes::Bytes;
use http_body::{Body, Frame};

/// The most bytes of one answer read: 16 MiB, thousands of times a real answer, and far less
/// than a build machine's memory.
pub(crate) const MAX_ANSWER_BYTES: u64 = 16 << 20;

/// A client of the SDK crate `$sdk` from the shared configuration `$config` (a `&SdkConfig`),
/// its answers read through the bound: every client of a call whose answer is read whole is
/// made here.
macro_rules! client {
    ($sdk:ident, $config:expr) => {
        $sdk::Client::from_conf(
            $sdk::config::Builder::from($config)
                .interceptor($crate::bounded::BoundedAnswer)
                .build(),
        )
    };
}
pub(crate) use client;

/// The operations whose answer is the caller's to read as a stream, of any size: left unbounded.
pub(crate) const STREAMED: &[&str] = &["GetObject"];

/// Wraps every answer's body so that reading more than [`MAX_ANSWER_BYTES`] fails, but for the
/// operations of [`STREAMED`].
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct BoundedAnswer;

impl Intercept for BoundedAnswer {
    fn name(&self) -> &'static str {
        "BoundedAnswer"
    }

    fn modify_before_deserialization(
        &self,
        context: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if cfg
            .load::<Metadata>()
            .is_some_and(|operation| STREAMED.contains(&operation.name()))
        {
            return Ok(());
        }
        let body = context.response_mut().body_mut();
        let inner = std::mem::replace(body, SdkBody::taken());
        *body = SdkBody::from_body_1_x(Bounded {
            inner,
            left: MAX_ANSWER_BYTES,
        });
        Ok(())
    }
}

/// An answer past the bound.
#[derive(Debug, thiserror::Error)]
#[error("the answer is larger than {MAX_ANSWER_BYTES} bytes, more than any answer of this call")]
struct TooLarge;

struct Bounded {
    inner: SdkBody,
    left: u64,
}

impl Body for Bounded {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                let len = frame.data_ref().map_or(0, |data| data.len() as u64);
                match this.left.checked_sub(len) {
                    Some(left) => {
                        this.left = left;
                        Poll::Ready(Some(Ok(frame)))
                    }
                    None => Poll::Ready(Some(Err(Box::new(TooLarge)))),
                }
            }
            other => other,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}
