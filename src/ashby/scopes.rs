//! Which Ashby permissions this extension needs, compared with what a key has.
//!
//! `apiKey.info` lists scopes as strings, in the form `candidates:write` (the API reference's
//! example) or `candidatesWrite` (the permission names in the endpoint docs). Both, in any
//! case, are normalised before comparing. A Write permission is NOT assumed to include Read:
//! Ashby does not document that, so both are checked.

use std::fmt;

/// A permission the extension needs, with the reason it needs it (see
/// [`crate::text::permission_purpose`]).
/// Stored (in upload problems) under Ashby's name for it ([`Permission::ashby_name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Permission {
    /// `apiKey.info`: the connection check.
    ApiKeysRead,
    /// `job.list`, `job.info`: the job picker.
    JobsRead,
    /// `candidate.search`, `candidate.info`, `application.list`: finding duplicates.
    CandidatesRead,
    /// `candidate.create` / `.update` / `.createNote` / `.addTag`, `application.create`.
    CandidatesWrite,
    /// `source.list`, `candidateTag.list`: the "Fetcher" source and tags.
    HiringProcessMetadataRead,
    /// `user.search`: crediting the recruiter's Ashby user, matched by email.
    OrganizationRead,
}

impl Permission {
    /// Every permission the extension needs, in the order the popup lists them.
    pub const NEEDED: [Permission; 6] = [
        Permission::ApiKeysRead,
        Permission::JobsRead,
        Permission::CandidatesRead,
        Permission::CandidatesWrite,
        Permission::HiringProcessMetadataRead,
        Permission::OrganizationRead,
    ];

    /// Ashby's name for the permission, as in its endpoint docs.
    pub fn ashby_name(self) -> &'static str {
        match self {
            Permission::ApiKeysRead => "apiKeysRead",
            Permission::JobsRead => "jobsRead",
            Permission::CandidatesRead => "candidatesRead",
            Permission::CandidatesWrite => "candidatesWrite",
            Permission::HiringProcessMetadataRead => "hiringProcessMetadataRead",
            Permission::OrganizationRead => "organizationRead",
        }
    }

    /// Whether a scope string from `apiKey.info` grants this permission.
    pub fn matches_scope(self, scope: &str) -> bool {
        normalise_scope(scope) == normalise_scope(self.ashby_name())
    }
}

impl crate::from_json::FromJson for Permission {
    fn from_json(json: &crate::json_text::Json) -> Result<Self, crate::from_json::Mismatch> {
        let name = json.as_str();
        Permission::NEEDED
            .into_iter()
            .find(|permission| Some(permission.ashby_name()) == name)
            .ok_or(crate::from_json::Mismatch("a permission"))
    }
}

crate::write_json_as!(ashby_name: Permission);

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.ashby_name())
    }
}

/// A comparison key for a scope: letters and digits only, lower case, so `candidates:write`,
/// `candidatesWrite` and `Candidates_Write` are the same.
pub fn normalise_scope(scope: &str) -> String {
    scope
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A key's scopes measured against what the extension needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeReport {
    /// Every needed permission, in [`Permission::NEEDED`] order, with whether it is granted.
    pub needed: Vec<(Permission, bool)>,
    /// The needed permissions the key lacks.
    pub missing: Vec<Permission>,
    /// Granted scopes the extension never uses, as Ashby spelled them. A least-privilege key
    /// would not have them; the popup may say so, but they do not block anything.
    pub unneeded: Vec<String>,
}

impl ScopeReport {
    /// Compares the scopes from `apiKey.info` with [`Permission::NEEDED`].
    pub fn from_scopes<S: AsRef<str>>(scopes: &[S]) -> Self {
        let granted = |permission: Permission| {
            scopes
                .iter()
                .any(|scope| permission.matches_scope(scope.as_ref()))
        };
        let needed: Vec<(Permission, bool)> = Permission::NEEDED
            .iter()
            .map(|&permission| (permission, granted(permission)))
            .collect();
        let missing = needed
            .iter()
            .filter(|(_, is_granted)| !is_granted)
            .map(|(permission, _)| *permission)
            .collect();
        let mut unneeded: Vec<String> = Vec::new();
        for scope in scopes.iter().map(|s| s.as_ref().trim()) {
            let used = Permission::NEEDED.iter().any(|p| p.matches_scope(scope));
            let repeated = unneeded
                .iter()
                .any(|seen| normalise_scope(seen) == normalise_scope(scope));
            if !scope.is_empty() && !used && !repeated {
                unneeded.push(scope.to_owned());
            }
        }
        Self {
            needed,
            missing,
            unneeded,
        }
    }

    /// Every needed permission is granted.
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_read_by_hand_as_serde_reads_them() {
        crate::from_json::testing::round_trips(&Permission::NEEDED);
        crate::from_json::testing::agrees_with_serde::<Permission>(&[
            r#""jobsWrite""#,
            r#""JobsRead""#,
            "null",
        ]);
    }

    #[test]
    fn both_spellings_and_any_case_match() {
        for scope in [
            "candidatesWrite",
            "candidates:write",
            "Candidates:Write",
            "CANDIDATESWRITE",
            " candidates_write ",
        ] {
            assert!(Permission::CandidatesWrite.matches_scope(scope), "{scope}");
        }
        assert!(!Permission::CandidatesWrite.matches_scope("candidates:read"));
        assert!(Permission::HiringProcessMetadataRead.matches_scope("hiringProcessMetadata:read"));
        assert!(Permission::ApiKeysRead.matches_scope("apiKeys:read"));
    }

    #[test]
    fn a_complete_key_in_colon_form() {
        let scopes = [
            "apiKeys:read",
            "jobs:read",
            "candidates:read",
            "candidates:write",
            "hiringProcessMetadata:read",
            "organization:read",
        ];
        let report = ScopeReport::from_scopes(&scopes);
        assert!(report.is_complete());
        assert!(report.unneeded.is_empty());
        assert!(report.needed.iter().all(|(_, granted)| *granted));
        assert_eq!(report.needed.len(), Permission::NEEDED.len());
    }

    #[test]
    fn missing_and_unneeded_are_reported() {
        let scopes = vec![
            "apiKeysRead".to_owned(),
            "jobsRead".to_owned(),
            "candidatesWrite".to_owned(),
            "reports:read".to_owned(),
            "reportsRead".to_owned(),
            "interviewsRead".to_owned(),
            String::new(),
        ];
        let report = ScopeReport::from_scopes(&scopes);
        assert_eq!(
            report.missing,
            vec![
                Permission::CandidatesRead,
                Permission::HiringProcessMetadataRead,
                Permission::OrganizationRead
            ]
        );
        assert_eq!(report.unneeded, vec!["reports:read", "interviewsRead"]);
        assert_eq!(report.needed[0], (Permission::ApiKeysRead, true));
        assert_eq!(report.needed[2], (Permission::CandidatesRead, false));
        assert!(!report.is_complete());
    }

    #[test]
    fn no_scopes_means_everything_is_missing() {
        let report = ScopeReport::from_scopes::<&str>(&[]);
        assert_eq!(report.missing, Permission::NEEDED.to_vec());
    }
}
