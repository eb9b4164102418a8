//! The environment files: whether each S3 object exists, asked with `HeadObject` in the
//! bucket's own Region, its body never read.

use aws_config::SdkConfig;
use aws_types::region::Region;
use deploykit_artifacts::verify::live::files::FileQuestion;

use crate::error::{AwsError, Resource};

/// `GetBucketLocation`, then `HeadObject` in that Region: `Some(())` when the object exists,
/// `None` when it or its bucket does not. A bucket in `us-east-1` has no location constraint
/// (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html>).
pub async fn object_exists(
    config: &SdkConfig,
    question: &FileQuestion,
) -> Result<Option<()>, AwsError> {
    let resource = || Resource::S3Object {
        bucket: question.bucket.clone(),
        key: question.key.clone(),
    };
    let missing = |error: &AwsError| {
        error.status() == Some(404)
            || matches!(
                error.code(),
                Some("NoSuchBucket" | "NoSuchKey" | "NotFound")
            )
    };
    let location = crate::s3::client(config)
        .get_bucket_location()
        .bucket(&question.bucket)
        .send()
        .await;
    let location = match location {
        Ok(location) => location,
        Err(error) => {
            let error = AwsError::from_sdk("s3:GetBucketLocation", resource(), &error);
            return if missing(&error) {
                Ok(None)
            } else {
                Err(error)
            };
        }
    };
    let region = location
        .location_constraint()
        .map(aws_sdk_s3::types::BucketLocationConstraint::as_str)
        .filter(|constraint| !constraint.is_empty())
        .unwrap_or("us-east-1");
    let regional = config
        .to_builder()
        .region(Region::new(region.to_owned()))
        .build();
    let head = crate::s3::client(&regional)
        .head_object()
        .bucket(&question.bucket)
        .key(&question.key)
        .send()
        .await;
    match head {
        Ok(_) => Ok(Some(())),
        Err(error) => {
            let error = AwsError::from_sdk("s3:HeadObject", resource(), &error);
            if missing(&error) {
                Ok(None)
            } else {
                Err(error)
            }
        }
    }
}
