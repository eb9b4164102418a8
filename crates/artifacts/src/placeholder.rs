//! The image placeholders of the Blue/Green (CodeDeployToECS) action.
//!
//! The action replaces `<NAME>` in `taskdef.json` with the `ImageURI` of the image artifact
//! whose `Image<N>ContainerName` setting is `NAME`, for N from 1 to 4
//! (<https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-ECSbluegreen.html>).
//! Any name will do; ours, and the documentation's, are numbered: `<IMAGE1_NAME>` in the
//! template, `IMAGE1_NAME` as the setting's value. [`ImagePlaceholder`] is one of those, and
//! [`name_in_image`] reads a placeholder of any name.

use std::fmt;
use std::str::FromStr;

/// A numbered placeholder, `IMAGE<n>_NAME` for n from 1 to [`ImagePlaceholder::MAX`]: the
/// placeholder of the action's image slot n.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ImagePlaceholder(u8);

impl ImagePlaceholder {
    /// The action's image slots: `Image1ContainerName` to `Image4ContainerName` ("Available
    /// values for <Number> are 1 through 4").
    pub const MAX: u8 = 4;

    /// The placeholder of slot `number`, when the action has that slot.
    #[must_use]
    pub fn new(number: usize) -> Option<Self> {
        u8::try_from(number)
            .ok()
            .filter(|n| (1..=Self::MAX).contains(n))
            .map(Self)
    }

    /// Every slot's placeholder, from 1 up.
    pub fn all() -> impl Iterator<Item = Self> {
        (1..=Self::MAX).map(Self)
    }

    /// n, from 1 to [`Self::MAX`].
    #[must_use]
    pub fn number(self) -> u8 {
        self.0
    }

    /// Reads a setting's value, `IMAGE<n>_NAME`: one digit, no brackets.
    #[must_use]
    pub fn from_setting(text: &str) -> Option<Self> {
        let digits = text.strip_prefix("IMAGE")?.strip_suffix("_NAME")?;
        match digits.as_bytes() {
            [digit @ b'1'..=b'9'] => Self::new(usize::from(digit - b'0')),
            _ => None,
        }
    }

    /// Reads an `image` that is exactly `<IMAGE<n>_NAME>`.
    #[must_use]
    pub fn from_image(image: &str) -> Option<Self> {
        Self::from_setting(image.strip_prefix('<')?.strip_suffix('>')?)
    }

    /// The placeholder as the template holds it: shows as `<IMAGE1_NAME>`.
    #[must_use]
    pub fn in_image(self) -> InImage {
        InImage(self)
    }

    /// The action setting that names the placeholder: `Image1ContainerName`.
    #[must_use]
    pub fn container_setting(self) -> String {
        format!("Image{}ContainerName", self.0)
    }

    /// The action setting that names the image artifact: `Image1ArtifactName`.
    #[must_use]
    pub fn artifact_setting(self) -> String {
        format!("Image{}ArtifactName", self.0)
    }
}

/// The setting's form: `IMAGE1_NAME`.
impl fmt::Display for ImagePlaceholder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IMAGE{}_NAME", self.0)
    }
}

/// Either form: `IMAGE1_NAME` or `<IMAGE1_NAME>`.
impl FromStr for ImagePlaceholder {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        Self::from_setting(text)
            .or_else(|| Self::from_image(text))
            .ok_or_else(|| {
                format!(
                    "`{text}` is not `IMAGE<n>_NAME` with n from 1 to {}",
                    Self::MAX
                )
            })
    }
}

/// An [`ImagePlaceholder`] in the template's form, `<IMAGE1_NAME>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InImage(ImagePlaceholder);

impl fmt::Display for InImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{}>", self.0)
    }
}

/// The name of the placeholder that `image` is, `IMAGE1_NAME` for `<IMAGE1_NAME>`: the whole
/// value in angle brackets, and the name one or more ASCII letters, digits, `_` or `-`.
///
/// AWS documents the syntax only by example (`<IMAGE1_NAME>`; the CDK's docs: "surrounded by
/// angle brackets"); other text between `<` and `>` is not read as a placeholder, since the
/// action's substitution of it is undocumented.
#[must_use]
pub fn name_in_image(image: &str) -> Option<&str> {
    let name = image.strip_prefix('<')?.strip_suffix('>')?;
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    valid.then_some(name)
}

/// A placeholder name as a user may give it for a setting, `IMAGE1_NAME` or `<IMAGE1_NAME>`,
/// in the setting's form: without brackets.
#[must_use]
pub fn setting_name(text: &str) -> &str {
    text.trim_start_matches('<').trim_end_matches('>')
}

/// A placeholder name in the template's form, `<NAME>`.
#[must_use]
pub fn bracketed(name: &str) -> String {
    format!("<{name}>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_forms_of_the_four_slots() {
        for n in 1..=4 {
            let placeholder = ImagePlaceholder::new(n).unwrap();
            assert_eq!(usize::from(placeholder.number()), n);
            let setting = format!("IMAGE{n}_NAME");
            let image = format!("<IMAGE{n}_NAME>");
            assert_eq!(placeholder.to_string(), setting);
            assert_eq!(placeholder.in_image().to_string(), image);
            assert_eq!(ImagePlaceholder::from_setting(&setting), Some(placeholder));
            assert_eq!(ImagePlaceholder::from_image(&image), Some(placeholder));
            assert_eq!(setting.parse(), Ok(placeholder));
            assert_eq!(image.parse(), Ok(placeholder));
        }
        assert_eq!(ImagePlaceholder::all().count(), 4);
        let third = ImagePlaceholder::new(3).unwrap();
        assert_eq!(third.container_setting(), "Image3ContainerName");
        assert_eq!(third.artifact_setting(), "Image3ArtifactName");
    }

    #[test]
    fn refuses_what_the_action_has_no_slot_for() {
        for text in [
            "IMAGE0_NAME",
            "IMAGE5_NAME",
            "IMAGE01_NAME",
            "IMAGE+1_NAME",
            "IMAGE_NAME",
            "IMAGE1",
            "image1_name",
            "<IMAGE1_NAME",
            " IMAGE1_NAME",
        ] {
            assert_eq!(ImagePlaceholder::from_setting(text), None, "{text}");
            assert!(text.parse::<ImagePlaceholder>().is_err(), "{text}");
        }
        assert_eq!(ImagePlaceholder::from_image("IMAGE1_NAME"), None);
        assert_eq!(ImagePlaceholder::new(0), None);
        assert_eq!(ImagePlaceholder::new(5), None);
        assert_eq!(
            "IMAGE9_NAME".parse::<ImagePlaceholder>(),
            Err("`IMAGE9_NAME` is not `IMAGE<n>_NAME` with n from 1 to 4".to_owned())
        );
    }

    #[test]
    fn reads_placeholders_of_any_name() {
        assert_eq!(name_in_image("<IMAGE1_NAME>"), Some("IMAGE1_NAME"));
        assert_eq!(name_in_image("<web-image_2>"), Some("web-image_2"));
        for image in ["<>", "<a b>", "nginx:<tag>", "<a>:1", "IMAGE1_NAME"] {
            assert_eq!(name_in_image(image), None, "{image}");
        }
        assert_eq!(setting_name("<IMAGE2_NAME>"), "IMAGE2_NAME");
        assert_eq!(setting_name("WEB"), "WEB");
        assert_eq!(bracketed("WEB"), "<WEB>");
    }
}
