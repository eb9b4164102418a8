//! A single image's config blob, the only place its platform is named
//! (<https://github.com/opencontainers/image-spec/blob/main/config.md>): its download URL from
//! `GetDownloadUrlForLayer`
//! (<https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetDownloadUrlForLayer.html>),
//! its bytes, at most [`CONFIG_LIMIT`] of them and within [`TIMEOUT`], and their digest checked
//! against the one the manifest names before anything is read of them.

use std::pin::pin;
use std::time::Duration;

use aws_smithy_runtime_api::client::http::HttpConnector as _;
use aws_smithy_runtime_api::http::Request;
use deploykit_artifacts::verify::live::images::{CONFIG_LIMIT, ImageQuestion, config_platform};
use http_body::Body as _;
use sha2::{Digest as _, Sha256};

use crate::ecr::{Client, RepositoryId};
use crate::error::{AwsError, Cause};

/// How long the blob's download may take, connection and body together.
pub const TIMEOUT: Duration = Duration::from_secs(20);

const OPERATION: &str = "ecr:GetDownloadUrlForLayer";

/// The `(os, architecture)` the config blob `digest` of `question`'s image names; `None` when
/// ECR does not have the blob. An answer whose bytes are not the digest's, larger than
/// [`CONFIG_LIMIT`] or not a config is an error, never a platform.
pub async fn platform(
    client: &Client,
    question: &ImageQuestion,
    digest: &str,
) -> Result<Option<(String, String)>, AwsError> {
    let repository = RepositoryId {
        registry_id: &question.registry_id,
        region: &question.region,
        name: &question.repository,
    };
    let fail =
        |reason: String| AwsError::new(OPERATION, repository.resource(), Cause::Other { reason });
    let answer = client
        .get_download_url_for_layer()
        .registry_id(&question.registry_id)
        .repository_name(&question.repository)
        .layer_digest(digest)
        .send()
        .await;
    let output = match answer {
        Ok(output) => output,
        Err(error) => {
            let error = AwsError::from_sdk(OPERATION, repository.resource(), &error);
            return match error.code() {
                Some(
                    "LayersNotFoundException"
                    | "LayerInaccessibleException"
                    | "RepositoryNotFoundException",
                ) => Ok(None),
                _ => Err(error),
            };
        }
    };
    let url = output
        .download_url()
        .ok_or_else(|| fail(format!("the answer for `{digest}` has no downloadUrl")))?;
    let blob = match tokio::time::timeout(TIMEOUT, download(url)).await {
        Ok(blob) => blob.map_err(|reason| fail(format!("config blob `{digest}`: {reason}")))?,
        Err(_) => {
            return Err(AwsError::new(
                OPERATION,
                repository.resource(),
                Cause::Timeout,
            ));
        }
    };
    let Some(expected) = digest.strip_prefix("sha256:") else {
        return Err(fail(format!(
            "config blob `{digest}`: only sha256 digests are checked"
        )));
    };
    let actual = crate::lower_hex(&Sha256::digest(&blob));
    if actual != expected {
        return Err(fail(format!(
            "the config blob downloaded for `{digest}` has digest `sha256:{actual}`: it is not \
             the image's"
        )));
    }
    let platform = config_platform(&blob).ok_or_else(|| {
        fail(format!(
            "config blob `{digest}` names no `os` and `architecture`"
        ))
    })?;
    Ok(Some(platform))
}

/// The body of a `GET` of `url`, refused past [`CONFIG_LIMIT`] bytes, whether the answer
/// announces its length or not.
async fn download(url: &str) -> Result<Vec<u8>, String> {
    let connector = crate::config::connector(None, None);
    let request = Request::get(url).map_err(|error| error.to_string())?;
    let response = connector
        .call(request)
        .await
        .map_err(|error| crate::error::chain(&error))?;
    let status = response.status().as_u16();
    if status != 200 {
        return Err(format!("the download answered HTTP {status}"));
    }
    let too_large = || format!("larger than {CONFIG_LIMIT} bytes, refused");
    let announced = response
        .headers()
        .get("content-length")
        .and_then(|length| length.parse::<u64>().ok());
    if announced.is_some_and(|length| length > CONFIG_LIMIT) {
        return Err(too_large());
    }
    let mut body = pin!(response.into_body());
    let mut blob = Vec::new();
    while let Some(frame) = std::future::poll_fn(|context| body.as_mut().poll_frame(context)).await
    {
        let frame = frame.map_err(|error| crate::error::chain(error.as_ref()))?;
        if let Ok(data) = frame.into_data() {
            if (blob.len() + data.len()) as u64 > CONFIG_LIMIT {
                return Err(too_large());
            }
            blob.extend_from_slice(&data);
        }
    }
    Ok(blob)
}
