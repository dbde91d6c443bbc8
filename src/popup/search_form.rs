//! One Fetcher search's "Ashby Sync" form: job, automatic upload, when, applicant limit.
//!
//! What the form decides ([`setting`], [`count`], [`FormNotice`]) is plain Rust, tested
//! natively. [`Form`] draws it by hand into its search's panel (see `super::search_list`, which
//! delivers its events) and reads its controls when it is sent: the controls hold what the
//! recruiter set, so no signal mirrors them. Only the job picker is a Leptos component, kept
//! with its reactive parts under the form's own [`Owner`].

use crate::domain::{SearchAutomation, Trigger};
use crate::messages::{JobChoice, SearchItem};
use crate::page_components::dom::{append, element, set};
use crate::page_components::effect::effect;
use crate::page_components::job_combobox::{JobCombobox, JobList};
use crate::page_components::Notice;
use crate::storage_schema as schema;
use crate::text;
use leptos::prelude::*;
use leptos::tachys::view::{Mountable, Render};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

/// What the form's controls hold when it is sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Typed {
    /// The picked job's id ("" for none: the picker only ever holds a listed job's id).
    pub job: String,
    pub enabled: bool,
    /// The chosen trigger's name (an option's value).
    pub trigger: String,
    /// The applicant limit as typed.
    pub limit: String,
}

/// The setting `typed` makes of the search's `saved` one, or why the form refuses it (checked
/// here, before anything is sent). `open_jobs` is `None` until jobs are known.
pub fn setting(
    saved: &SearchAutomation,
    typed: &Typed,
    open_jobs: Option<&[JobChoice]>,
) -> Result<SearchAutomation, String> {
    let refused = |problem| text::automation_problem(&problem);
    let automation = SearchAutomation {
        search_id: saved.search_id.clone(),
        job_id: typed.job.parse().ok(),
        enabled: typed.enabled,
        trigger: Trigger::named(&typed.trigger).unwrap_or(saved.trigger),
        applicant_limit: schema::parse_limit(&typed.limit).map_err(refused)?,
        enabled_at_ms: saved.enabled_at_ms,
    };
    schema::validate_automation(&automation, open_jobs).map_err(refused)?;
    Ok(automation)
}

/// The line above Save: uploaded so far, of the limit being typed (else the saved one).
pub fn count(item: &SearchItem, typed_limit: &str) -> String {
    let limit = schema::parse_limit(typed_limit).unwrap_or(item.automation.applicant_limit);
    text::uploaded_count(item.uploaded, limit)
}

/// The line under the form.
#[derive(Debug, Clone, PartialEq)]
pub enum FormNotice {
    /// The form's own check refused the setting.
    Refused(String),
    Saving,
    Saved,
    /// The worker could not save it.
    Failed(String),
}

impl FormNotice {
    /// Its class, role and text: it looks like any [`Notice`] under a form.
    pub fn line(&self) -> (&'static str, &'static str, &str) {
        let ((class, role), message) = match self {
            Self::Refused(why) | Self::Failed(why) => (Notice::FAILED_LOOK, why.as_str()),
            Self::Saving => (Notice::DONE_LOOK, text::SAVING),
            Self::Saved => (Notice::DONE_LOOK, text::SAVED),
        };
        (class, role, message)
    }
}

/// A control's id: what it is, "-", and its search's id.
fn control_id(what: &str, search_id: &str) -> String {
    format!("{what}-{search_id}")
}

/// A search's form as drawn, with the parts it draws again and reads.
pub struct Form {
    /// Holds the picker's signals and effects, and the flag's effect: dropped with the form.
    _owner: Owner,
    picker: Box<dyn Mountable>,
    job: RwSignal<String>,
    parts: Vec<Element>,
    enabled: HtmlInputElement,
    trigger: Element,
    limit: HtmlInputElement,
    count: Element,
    notice: Option<Element>,
}

impl Form {
    /// Draws `item`'s form at the end of `panel`, its controls starting from the saved
    /// setting. `owner` is the list's: the form's own owner is its child.
    pub fn draw(panel: &Element, item: &SearchItem, jobs: JobList, owner: &Owner) -> Self {
        let saved = &item.automation;
        let id = |what: &str| control_id(what, &item.search_id);
        let read_only = item.read_only_reason.is_some();
        let mut parts = Vec::new();
        if let Some(reason) = &item.read_only_reason {
            parts.push(append(
                panel,
                element("p", "read-only", &text::read_only_reason(reason)),
            ));
        }
        // `novalidate`: these checks, with these messages, rather than the browser's.
        let form = append(panel, element("form", "", ""));
        set(&form, "novalidate", "");
        parts.push(form.clone());
        let fieldset = append(&form, element("fieldset", "", ""));
        if read_only {
            set(&fieldset, "disabled", "");
        }
        label(&fieldset, &id("job"), "", text::JOB_PICKER_LABEL);
        let auto_row = element("div", "row", "");

        let own = owner.with(Owner::new);
        let job =
            own.with(|| RwSignal::new(saved.job_id.clone().map(String::from).unwrap_or_default()));
        let mut picker: Box<dyn Mountable> = Box::new(
            own.with(|| view! { <JobCombobox input_id=id("job") jobs value=job /> }.build()),
        );
        picker.mount(&fieldset, None);
        let _ = fieldset.append_child(&auto_row);
        // The linked job, flagged when it is no longer among Ashby's open jobs.
        let flag_place = (fieldset.clone(), auto_row.clone());
        own.with(|| {
            let mut shown: Option<Element> = None;
            effect(move || {
                if let Some(shown) = shown.take() {
                    shown.remove();
                }
                let flag = job.with(|chosen| {
                    jobs.with(|jobs| {
                        schema::job_flag((!chosen.is_empty()).then_some(chosen), jobs.as_deref()?)
                    })
                });
                if let Some(flag) = flag {
                    let line = element("p", "warning", &text::job_flag(&flag));
                    let _ = flag_place.0.insert_before(&line, Some(&flag_place.1));
                    shown = Some(line);
                }
            });
        });

        let enabled: HtmlInputElement =
            append(&auto_row, element("input", "", "")).unchecked_into();
        set(&enabled, "id", &id("auto"));
        set(&enabled, "type", "checkbox");
        if saved.enabled {
            set(&enabled, "checked", "");
        }
        label(&auto_row, &id("auto"), "inline", text::UPLOAD_AUTOMATICALLY);

        let two = append(&fieldset, element("div", "row two", ""));
        let when = append(&two, element("div", "", ""));
        label(&when, &id("when"), "", text::WHEN);
        let trigger = append(&when, element("select", "", ""));
        set(&trigger, "id", &id("when"));
        for choice in Trigger::ALL {
            let option = append(&trigger, element("option", "", text::trigger_label(choice)));
            set(&option, "value", choice.name());
            if choice == saved.trigger {
                set(&option, "selected", "");
            }
        }
        let limit_box = append(&two, element("div", "", ""));
        label(&limit_box, &id("limit"), "", text::APPLICANT_LIMIT);
        let limit: HtmlInputElement = append(&limit_box, element("input", "", "")).unchecked_into();
        let typed_limit = saved
            .applicant_limit
            .map(|l| l.to_string())
            .unwrap_or_default();
        for (name, value) in [
            ("id", id("limit").as_str()),
            ("type", "number"),
            ("min", "1"),
            ("step", "1"),
            ("inputmode", "numeric"),
            ("placeholder", text::APPLICANT_LIMIT_HINT),
            ("value", &typed_limit),
        ] {
            set(&limit, name, value);
        }

        let save_row = append(&fieldset, element("div", "row save", ""));
        let count = append(&save_row, element("p", "count", &count(item, &typed_limit)));
        if !read_only {
            let save = append(&save_row, element("button", "", text::SAVE));
            set(&save, "type", "submit");
        }
        Self {
            _owner: own,
            picker,
            job,
            parts,
            enabled,
            trigger,
            limit,
            count,
            notice: None,
        }
    }

    /// What the controls hold now.
    pub fn typed(&self) -> Typed {
        let trigger = self
            .trigger
            .query_selector("option:checked")
            .ok()
            .flatten()
            .and_then(|option| option.get_attribute("value"))
            .unwrap_or_default();
        Typed {
            job: self.job.get_untracked(),
            enabled: self.enabled.checked(),
            trigger,
            limit: self.limit.value(),
        }
    }

    /// Whether `target` is this form's limit box (its count follows what is typed there).
    pub fn is_limit(&self, target: &Element) -> bool {
        self.limit.is_same_node(Some(target))
    }

    /// The count line again, for the limit being typed.
    pub fn draw_count(&self, item: &SearchItem) {
        self.count
            .set_text_content(Some(&count(item, &self.limit.value())));
    }

    /// The line under the form: `notice`, or none.
    pub fn draw_notice(&mut self, panel: &Element, notice: Option<&FormNotice>) {
        if let Some(shown) = self.notice.take() {
            shown.remove();
        }
        self.notice = notice.map(|notice| {
            let (class, role, message) = notice.line();
            let line = append(panel, element("p", class, message));
            set(&line, "role", role);
            line
        });
    }

    /// Takes the form off the page (its owner, dropped with it, ends the picker's effects).
    pub fn remove(mut self) {
        self.picker.unmount();
        for part in self.parts.iter().chain(&self.notice) {
            part.remove();
        }
    }
}

fn label(parent: &Element, control: &str, class: &str, name: &str) {
    let label = append(parent, element("label", class, name));
    set(&label, "for", control);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ReadOnlyReason;

    fn jobs() -> Vec<JobChoice> {
        vec![JobChoice {
            id: "j1".into(),
            title: "Senior Backend Engineer".into(),
            status: "Open".into(),
            location: None,
            department: None,
        }]
    }

    fn typed(job: &str, enabled: bool, trigger: &str, limit: &str) -> Typed {
        Typed {
            job: job.into(),
            enabled,
            trigger: trigger.into(),
            limit: limit.into(),
        }
    }

    #[test]
    fn a_good_setting_is_made_from_the_controls_and_keeps_when_it_was_enabled() {
        let mut saved = SearchAutomation::off("s1".into());
        saved.enabled_at_ms = Some(5);
        assert_eq!(
            setting(&saved, &typed("j1", true, "OnReply", " 25 "), Some(&jobs())),
            Ok(SearchAutomation {
                search_id: "s1".into(),
                job_id: Some("j1".into()),
                enabled: true,
                trigger: Trigger::OnReply,
                applicant_limit: Some(25),
                enabled_at_ms: Some(5),
            })
        );
        // Off, with no job and no limit, is a setting too.
        let off = setting(&saved, &typed("", false, "OnLike", ""), None).unwrap();
        assert_eq!((off.job_id, off.applicant_limit), (None, None));
    }

    #[test]
    fn automatic_upload_without_a_job_or_with_a_bad_limit_is_refused() {
        let saved = SearchAutomation::off("s1".into());
        assert_eq!(
            setting(
                &saved,
                &typed("", true, "AllNewCandidates", ""),
                Some(&jobs())
            ),
            Err(text::automation_problem(&schema::AutomationProblem::NoJob))
        );
        for limit in ["0", "-3", "2.5", "ten"] {
            assert_eq!(
                setting(
                    &saved,
                    &typed("j1", true, "AllNewCandidates", limit),
                    Some(&jobs())
                ),
                Err(text::automation_problem(
                    &schema::AutomationProblem::BadLimit
                )),
                "{limit}"
            );
        }
    }

    #[test]
    fn the_count_follows_the_limit_being_typed_else_the_saved_one() {
        let mut item = SearchItem {
            search_id: "s1".into(),
            title: None,
            owner_email: None,
            read_only_reason: Some(ReadOnlyReason::NotOwner {
                owner: "lead@agency.com".into(),
            }),
            automation: SearchAutomation::off("s1".into()),
            uploaded: 3,
            automation_paused: None,
        };
        item.automation.applicant_limit = Some(10);
        assert_eq!(count(&item, ""), text::uploaded_count(3, None));
        assert_eq!(count(&item, "20"), text::uploaded_count(3, Some(20)));
        assert_eq!(count(&item, "x"), text::uploaded_count(3, Some(10)));
    }

    #[test]
    fn a_refusal_or_failure_is_an_alert_and_saving_a_status() {
        assert_eq!(
            FormNotice::Refused("No.".into()).line(),
            ("error", "alert", "No.")
        );
        assert_eq!(
            FormNotice::Failed("Down.".into()).line(),
            ("error", "alert", "Down.")
        );
        assert_eq!(FormNotice::Saving.line(), ("done", "status", text::SAVING));
        assert_eq!(FormNotice::Saved.line(), ("done", "status", text::SAVED));
    }
}
