//! Ashby's answers decoded by hand (see `crate::from_json`), with the leniency their serde
//! forms in `types` spell out field by field: unknown members ignored, a missing or `null`
//! optional member is none or empty, a list of custom fields keeps the items that read, and
//! only the ids that make an object usable are required. The client decodes through these on
//! every target (`envelope::classify_as`); the derived impls stay as the reference the tests
//! below hold these to, on every member of a full answer absent, `null` and mistyped.

use super::types::{
    ApiKeyInfo, Application, ApplicationCandidate, ApplicationJob, ApplicationStatus, Candidate,
    CandidateLocation, ContactValue, CustomFieldLabel, CustomFieldValue, Department, FileHandle,
    HiringTeamMember, InterviewStage, Job, JobLocation, LocationComponent, Note, NoteAuthor,
    SocialLink, Source, SourceType, Tag, User,
};
use crate::from_json::{Fields, FromJson, Mismatch};
use crate::json_text::Json;

/// `#[serde(default, deserialize_with = "null_as_default")]`: absent or `null` is the default.
fn or_empty<T: FromJson + Default>(fields: &Fields, name: &'static str) -> Result<T, Mismatch> {
    Ok(fields.optional(name)?.unwrap_or_default())
}

/// `lenient_list`: absent or `null` is empty; of a list, the items that read.
fn readable_items<T: FromJson>(json: &Json, name: &str) -> Result<Vec<T>, Mismatch> {
    match json.get(name) {
        None | Some(Json::Null) => Ok(Vec::new()),
        Some(Json::Array(items)) => Ok(items.iter().filter_map(|i| T::from_json(i).ok()).collect()),
        Some(_) => Err(Mismatch("a list")),
    }
}

impl FromJson for serde_json::Value {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        Ok(json.to_value())
    }
}

impl FromJson for ContactValue {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of_defaulted(json)?;
        Ok(ContactValue {
            value: or_empty(&fields, "value")?,
            r#type: fields.optional("type")?,
            is_primary: or_empty(&fields, "isPrimary")?,
        })
    }
}

impl FromJson for SocialLink {
    /// Each member may be absent or `null` (then empty).
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of_defaulted(json)?;
        Ok(SocialLink {
            r#type: or_empty(&fields, "type")?,
            url: or_empty(&fields, "url")?,
        })
    }
}

/// `Tag`, `SourceType`: an id, a title and whether it is archived.
macro_rules! titled {
    ($ty:ident) => {
        impl FromJson for $ty {
            fn from_json(json: &Json) -> Result<Self, Mismatch> {
                let fields = Fields::of(json)?;
                Ok($ty {
                    id: fields.required("id")?,
                    title: or_empty(&fields, "title")?,
                    is_archived: or_empty(&fields, "isArchived")?,
                })
            }
        }
    };
}

titled!(Tag);
titled!(SourceType);

impl FromJson for Source {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(Source {
            id: fields.required("id")?,
            title: or_empty(&fields, "title")?,
            is_archived: or_empty(&fields, "isArchived")?,
            source_type: fields.optional("sourceType")?,
        })
    }
}

impl FromJson for User {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(User {
            id: fields.required("id")?,
            first_name: fields.optional("firstName")?,
            last_name: fields.optional("lastName")?,
            email: fields.optional("email")?,
            global_role: fields.optional("globalRole")?,
            is_enabled: fields.optional("isEnabled")?,
            updated_at: fields.optional("updatedAt")?,
            manager_id: fields.optional("managerId")?,
        })
    }
}

impl FromJson for FileHandle {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of_defaulted(json)?;
        Ok(FileHandle {
            id: fields.optional("id")?,
            name: fields.optional("name")?,
            handle: fields.optional("handle")?,
        })
    }
}

impl FromJson for CustomFieldValue {
    /// Every member lenient: a value of another type than expected reads as none.
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        Fields::of_defaulted(json)?;
        let text = |name: &str| json.get(name).and_then(Json::as_str).map(str::to_owned);
        Ok(CustomFieldValue {
            id: text("id"),
            title: text("title"),
            value: json
                .get("value")
                .map_or(serde_json::Value::Null, Json::to_value),
            value_label: match json.get("valueLabel") {
                Some(Json::String(label)) => Some(CustomFieldLabel::One(label.clone())),
                Some(Json::Array(items)) => Some(CustomFieldLabel::Many(
                    items
                        .iter()
                        .filter_map(Json::as_str)
                        .map(str::to_owned)
                        .collect(),
                )),
                _ => None,
            },
            is_private: match json.get("isPrivate") {
                Some(Json::Bool(private)) => Some(*private),
                _ => None,
            },
        })
    }
}

impl FromJson for ApiKeyInfo {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of_defaulted(json)?;
        Ok(ApiKeyInfo {
            title: or_empty(&fields, "title")?,
            created_at: fields.optional("createdAt")?,
            scopes: or_empty(&fields, "scopes")?,
        })
    }
}

impl FromJson for JobLocation {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of_defaulted(json)?;
        Ok(JobLocation {
            id: fields.optional("id")?,
            name: fields.optional("name")?,
            workplace_type: fields.optional("workplaceType")?,
            address: fields.optional("address")?,
        })
    }
}

impl FromJson for HiringTeamMember {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of_defaulted(json)?;
        Ok(HiringTeamMember {
            user_id: fields.optional("userId")?,
            email: fields.optional("email")?,
            first_name: fields.optional("firstName")?,
            last_name: fields.optional("lastName")?,
            role: fields.optional("role")?,
        })
    }
}

impl FromJson for Job {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(Job {
            id: fields.required("id")?,
            title: or_empty(&fields, "title")?,
            status: fields.optional("status")?,
            confidential: fields.optional("confidential")?,
            employment_type: fields.optional("employmentType")?,
            location_id: fields.optional("locationId")?,
            department_id: fields.optional("departmentId")?,
            default_interview_plan_id: fields.optional("defaultInterviewPlanId")?,
            interview_plan_ids: or_empty(&fields, "interviewPlanIds")?,
            job_posting_ids: or_empty(&fields, "jobPostingIds")?,
            custom_requisition_id: fields.optional("customRequisitionId")?,
            brand_id: fields.optional("brandId")?,
            hiring_team: or_empty(&fields, "hiringTeam")?,
            custom_fields: readable_items(json, "customFields")?,
            created_at: fields.optional("createdAt")?,
            updated_at: fields.optional("updatedAt")?,
            opened_at: fields.optional("openedAt")?,
            closed_at: fields.optional("closedAt")?,
            location: fields.optional("location")?,
        })
    }
}

impl FromJson for Department {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(Department {
            id: fields.required("id")?,
            name: or_empty(&fields, "name")?,
            is_archived: fields.optional("isArchived")?,
            parent_id: fields.optional("parentId")?,
        })
    }
}

impl FromJson for LocationComponent {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of_defaulted(json)?;
        Ok(LocationComponent {
            r#type: fields.optional("type")?,
            name: fields.optional("name")?,
        })
    }
}

impl FromJson for CandidateLocation {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of_defaulted(json)?;
        Ok(CandidateLocation {
            id: fields.optional("id")?,
            location_summary: fields.optional("locationSummary")?,
            location_components: or_empty(&fields, "locationComponents")?,
        })
    }
}

impl FromJson for Candidate {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(Candidate {
            id: fields.required("id")?,
            name: or_empty(&fields, "name")?,
            created_at: fields.optional("createdAt")?,
            updated_at: fields.optional("updatedAt")?,
            primary_email_address: fields.optional("primaryEmailAddress")?,
            email_addresses: or_empty(&fields, "emailAddresses")?,
            primary_phone_number: fields.optional("primaryPhoneNumber")?,
            phone_numbers: or_empty(&fields, "phoneNumbers")?,
            social_links: or_empty(&fields, "socialLinks")?,
            tags: or_empty(&fields, "tags")?,
            position: fields.optional("position")?,
            company: fields.optional("company")?,
            school: fields.optional("school")?,
            application_ids: or_empty(&fields, "applicationIds")?,
            resume_file_handle: fields.optional("resumeFileHandle")?,
            file_handles: or_empty(&fields, "fileHandles")?,
            custom_fields: readable_items(json, "customFields")?,
            profile_url: fields.optional("profileUrl")?,
            source: fields.optional("source")?,
            credited_to_user: fields.optional("creditedToUser")?,
            timezone: fields.optional("timezone")?,
            location: fields.optional("location")?,
            fraud_status: fields.optional("fraudStatus")?,
        })
    }
}

impl FromJson for NoteAuthor {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of_defaulted(json)?;
        Ok(NoteAuthor {
            id: fields.optional("id")?,
            first_name: fields.optional("firstName")?,
            last_name: fields.optional("lastName")?,
            email: fields.optional("email")?,
        })
    }
}

impl FromJson for Note {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(Note {
            id: fields.required("id")?,
            created_at: fields.optional("createdAt")?,
            is_private: fields.optional("isPrivate")?,
            content: fields.optional("content")?,
            author: fields.optional("author")?,
        })
    }
}

impl FromJson for ApplicationStatus {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        // `#[serde(other)]`: any other name is `Unknown`.
        let (name, value) = crate::from_json::variant(json)?;
        let status = match name {
            "Lead" => ApplicationStatus::Lead,
            "Active" => ApplicationStatus::Active,
            "Hired" => ApplicationStatus::Hired,
            "Archived" => ApplicationStatus::Archived,
            _ => ApplicationStatus::Unknown,
        };
        crate::from_json::unit(value, status)
    }
}

impl FromJson for ApplicationCandidate {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(ApplicationCandidate {
            id: fields.required("id")?,
            name: fields.optional("name")?,
            primary_email_address: fields.optional("primaryEmailAddress")?,
            primary_phone_number: fields.optional("primaryPhoneNumber")?,
        })
    }
}

impl FromJson for ApplicationJob {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(ApplicationJob {
            id: fields.required("id")?,
            title: fields.optional("title")?,
            location_id: fields.optional("locationId")?,
            department_id: fields.optional("departmentId")?,
        })
    }
}

impl FromJson for InterviewStage {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of_defaulted(json)?;
        Ok(InterviewStage {
            id: fields.optional("id")?,
            title: fields.optional("title")?,
            r#type: fields.optional("type")?,
            order_in_interview_plan: fields.optional("orderInInterviewPlan")?,
            interview_stage_group_id: fields.optional("interviewStageGroupId")?,
            interview_plan_id: fields.optional("interviewPlanId")?,
        })
    }
}

impl FromJson for Application {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(Application {
            id: fields.required("id")?,
            created_at: fields.optional("createdAt")?,
            updated_at: fields.optional("updatedAt")?,
            status: fields.optional("status")?,
            candidate: fields.optional("candidate")?,
            job: fields.optional("job")?,
            current_interview_stage: fields.optional("currentInterviewStage")?,
            source: fields.optional("source")?,
            credited_to_user: fields.optional("creditedToUser")?,
            archive_reason: fields.optional("archiveReason")?,
            archived_at: fields.optional("archivedAt")?,
            hiring_team: or_empty(&fields, "hiringTeam")?,
            custom_fields: readable_items(json, "customFields")?,
            applied_via_job_posting_id: fields.optional("appliedViaJobPostingId")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::from_json::testing::{agrees_with_serde, member_edits};
    use serde_json::json;

    fn agrees<T: FromJson + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
        full: &serde_json::Value,
    ) {
        let texts = member_edits(full);
        agrees_with_serde::<T>(&texts.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(
            T::from_json_text(&full.to_string()).is_ok(),
            "the full answer reads"
        );
    }

    fn contact(value: &str) -> serde_json::Value {
        json!({"value": value, "type": "Personal", "isPrimary": true})
    }

    fn custom_fields() -> serde_json::Value {
        json!([
            {"id": "cf-1", "title": "Level", "value": 3, "valueLabel": "Senior", "isPrivate": false},
            {"id": "cf-2", "title": "Tags", "value": ["a", 1.5], "valueLabel": ["A", 2]},
            {"id": 7, "title": null, "value": {"nested": true}, "isPrivate": "no"},
            "not an object"
        ])
    }

    fn user() -> serde_json::Value {
        json!({
            "id": "u-1", "firstName": "Rita", "lastName": "Recruiter", "email": "rita@agency.com",
            "globalRole": "Organization Admin", "isEnabled": true, "updatedAt": "2026-01-01",
            "managerId": null
        })
    }

    fn source() -> serde_json::Value {
        json!({"id": "src-1", "title": "Fetcher", "isArchived": false,
               "sourceType": {"id": "st-1", "title": "Sourced", "isArchived": false}})
    }

    #[test]
    fn jobs_and_departments_read_by_hand_as_serde_reads_them() {
        let job = json!({
            "id": "job-1", "title": "Engineer", "status": "Open", "confidential": false,
            "employmentType": "FullTime", "locationId": "loc-1", "departmentId": "dep-1",
            "defaultInterviewPlanId": "ip-1", "interviewPlanIds": ["ip-1"],
            "jobPostingIds": ["jp-1"], "customRequisitionId": "R-1", "brandId": "b-1",
            "hiringTeam": [{"userId": "u-1", "email": "rita@agency.com", "firstName": "Rita",
                            "lastName": "R", "role": "Recruiter"}],
            "customFields": custom_fields(),
            "createdAt": "2026-01-01", "updatedAt": "2026-01-02", "openedAt": "2026-01-03",
            "closedAt": null,
            "location": {"id": "loc-1", "name": "Berlin", "workplaceType": "Hybrid",
                         "address": {"postalAddress": {"addressLocality": "Berlin"}}}
        });
        agrees::<Job>(&job);
        agrees::<Vec<Job>>(&json!([job, {"id": "job-2", "status": "SomethingNew"}]));
        agrees::<Department>(&json!({"id": "dep-1", "name": "Eng", "isArchived": false,
                                     "parentId": "dep-0"}));
    }

    #[test]
    fn candidates_read_by_hand_as_serde_reads_them() {
        let candidate = json!({
            "id": "cand-1", "name": "Ana Alves", "createdAt": "2026-01-01",
            "updatedAt": "2026-01-02",
            "primaryEmailAddress": contact("ana@example.com"),
            "emailAddresses": [contact("ana@example.com"), contact("ana@work.example")],
            "primaryPhoneNumber": contact("+49 30 1"),
            "phoneNumbers": [contact("+49 30 1")],
            "socialLinks": [{"type": "LinkedIn", "url": "https://www.linkedin.com/in/ana"}],
            "tags": [{"id": "t-1", "title": "Fetcher", "isArchived": false}],
            "position": "Engineer", "company": "Zalando", "school": "TU Berlin",
            "applicationIds": ["ap-1"],
            "resumeFileHandle": {"id": "f-1", "name": "cv.pdf", "handle": "h"},
            "fileHandles": [{"id": "f-1", "name": "cv.pdf", "handle": "h"}],
            "customFields": custom_fields(),
            "profileUrl": "https://app.ashbyhq.com/candidates/cand-1",
            "source": source(),
            "creditedToUser": user(),
            "timezone": "Europe/Berlin",
            "location": {"id": "l-1", "locationSummary": "Berlin, Germany",
                         "locationComponents": [{"type": "City", "name": "Berlin"}]},
            "fraudStatus": null
        });
        agrees::<Candidate>(&candidate);
        agrees::<User>(&user());
        agrees::<ApiKeyInfo>(&json!({"title": "Fetcher", "createdAt": "2026-01-01",
                                     "scopes": ["candidatesRead", "jobsRead"]}));
        agrees::<Note>(
            &json!({"id": "n-1", "createdAt": "2026-01-01", "isPrivate": false,
                               "content": "Sent from Fetcher",
                               "author": {"id": "u-1", "firstName": "Rita", "lastName": "R",
                                          "email": "rita@agency.com"}}),
        );
    }

    #[test]
    fn applications_read_by_hand_as_serde_reads_them() {
        let application = json!({
            "id": "ap-1", "createdAt": "2026-01-01", "updatedAt": "2026-01-02",
            "status": "Active",
            "candidate": {"id": "cand-1", "name": "Ana", "primaryEmailAddress": contact("a@b.co"),
                          "primaryPhoneNumber": contact("+1")},
            "job": {"id": "job-1", "title": "Engineer", "locationId": "l-1",
                    "departmentId": "d-1"},
            "currentInterviewStage": {"id": "s-1", "title": "Lead", "type": "Lead",
                                      "orderInInterviewPlan": -1,
                                      "interviewStageGroupId": "g-1", "interviewPlanId": "ip-1"},
            "source": source(),
            "creditedToUser": user(),
            "archiveReason": {"id": "r-1", "text": "Hired elsewhere"},
            "archivedAt": null,
            "hiringTeam": [{"userId": "u-1", "role": "Recruiter"}],
            "customFields": custom_fields(),
            "appliedViaJobPostingId": "jp-1"
        });
        agrees::<Application>(&application);
        agrees_with_serde::<ApplicationStatus>(&[
            r#""Lead""#,
            r#""Offered""#,
            r#"{"Hired": null}"#,
            "3",
            "null",
        ]);
    }
}
