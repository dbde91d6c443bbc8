use super::*;
use crate::domain::{JobId, SearchAutomation};
use crate::fetcher::fields::RawCandidate;
use crate::messages::ListJobs;
use crate::messages::SetKeyStorage;
use serde_json::json;

/// A profile as the page reader reads it.
fn reading() -> RawCandidate {
    RawCandidate {
        search_id: "s-1".into(),
        candidate_id: "c_1".into(),
        name: "  Jane \u{202E}Doe ".into(),
        headline: Some("Staff Engineer at Acme".into()),
        location: Some("Berlin".into()),
        email_hrefs: vec!["mailto:jane%40acme.com".into(), "jane@home.example".into()],
        phone_hrefs: vec!["tel:+1%20555%20123%204567".into()],
        link_hrefs: vec![
            "https://de.linkedin.com/in/J%C3%BCrgen/?trk=x".into(),
            "http://github.com/Jane/repo".into(),
            "https://jane.example/blog".into(),
        ],
        status_text: None,
        like_pressed: false,
    }
}

/// What the worker makes of [`reading`].
fn candidate() -> FetcherCandidate {
    reading().validate().unwrap()
}

/// The Send dialog's send: the message that carries a validated candidate back.
fn send(candidate: FetcherCandidate) -> Incoming {
    Incoming::Ui(UiToWorker::SendDraft(SendDraft {
        token: "1b4e28ba-2fa1-11d2-883f-0016d3cca427".into(),
        candidate,
        job_id: "7e1b3f5e-0000-4000-8000-000000000001".into(),
    }))
}

/// The shortcut's send: a content script's reading.
fn send_now(candidate: RawCandidate) -> Incoming {
    Incoming::Content(ContentToWorker::SendNow(SendNow {
        candidate,
        job_id: "7e1b3f5e-0000-4000-8000-000000000001".into(),
    }))
}

fn huge(n: usize) -> String {
    "a".repeat(n)
}

#[test]
fn a_candidate_from_the_page_rules_passes() {
    let c = candidate();
    assert_eq!(c.name, "Jane Doe");
    assert!(c.linkedin_url.is_some() && c.github_url.is_some());
    assert_eq!(check(&send(c)), Ok(()));
    assert_eq!(check(&send_now(reading())), Ok(()));
}

/// A content script's readings are raw page text, bounded as the page reader bounds it; one
/// to act on has a profile's (the route's) ids.
#[test]
fn readings_are_bounded_as_the_page_reader_bounds_them() {
    let hostile = RawCandidate {
        name: "<b>\u{202E}x</b>\u{0007}".into(),
        email_hrefs: vec!["mailto:<x>".into(); fields::MAX_RAW_ITEMS],
        link_hrefs: vec![huge(MAX_RAW_TEXT_CHARS)],
        status_text: Some(huge(MAX_RAW_TEXT_CHARS)),
        ..reading()
    };
    assert_eq!(check(&send_now(hostile.clone())), Ok(()));
    let refused = |edit: fn(&mut RawCandidate), why: InvalidField| {
        let mut raw = reading();
        edit(&mut raw);
        assert_eq!(check(&send_now(raw)), Err(why));
    };
    refused(
        |r| r.name = huge(MAX_RAW_TEXT_CHARS + 1),
        InvalidField::TooLong("candidate.name"),
    );
    refused(
        |r| r.headline = Some(huge(MAX_RAW_TEXT_CHARS + 1)),
        InvalidField::TooLong("candidate.headline"),
    );
    refused(
        |r| r.phone_hrefs = vec!["tel:1".into(); fields::MAX_RAW_ITEMS + 1],
        InvalidField::TooMany("candidate.phoneHrefs"),
    );
    refused(
        |r| r.link_hrefs = vec![huge(MAX_RAW_TEXT_CHARS + 1)],
        InvalidField::TooLong("candidate.linkHrefs"),
    );
    refused(
        |r| r.candidate_id = "../x".into(),
        InvalidField::Id("candidate.candidateId"),
    );
    refused(
        |r| r.search_id = String::new(),
        InvalidField::Id("candidate.searchId"),
    );
    let shortcut = |candidate: RawCandidate| {
        check(&Incoming::Content(ContentToWorker::SendByShortcut(
            SendByShortcut { candidate },
        )))
    };
    assert_eq!(shortcut(reading()), Ok(()));
    assert_eq!(
        shortcut(RawCandidate {
            candidate_id: "a b".into(),
            ..reading()
        }),
        Err(InvalidField::Id("candidate.candidateId"))
    );
    // Cards as read: one whose ids are not Fetcher ids is skipped by the worker, not refused.
    let cards = |candidates: Vec<RawCandidate>| {
        [
            Incoming::Content(ContentToWorker::CandidatesSeen(CandidatesSeen {
                candidates: candidates.clone(),
            })),
            Incoming::Content(ContentToWorker::CheckCandidates(CheckCandidates {
                candidates,
            })),
        ]
    };
    let odd_id = RawCandidate {
        candidate_id: "a b".into(),
        ..hostile
    };
    for message in cards(vec![reading(), odd_id]) {
        assert_eq!(check(&message), Ok(()));
    }
    let unbounded_id = RawCandidate {
        candidate_id: huge(MAX_RAW_TEXT_CHARS + 1),
        ..reading()
    };
    for message in cards(vec![reading(), unbounded_id]) {
        assert_eq!(
            check(&message),
            Err(InvalidField::TooLong("candidate.candidateId"))
        );
    }
    for message in cards(vec![reading(); MAX_CANDIDATES_SEEN + 1]) {
        assert_eq!(check(&message), Err(InvalidField::TooMany("candidates")));
    }
}

/// Whatever a hostile page holds, what the page rules make of it is accepted: the checks
/// never refuse a genuine send.
#[test]
fn the_page_rules_output_always_passes() {
    let hostile = [
        "<script>window.__xss=1</script>",
        "\u{0000}\u{0007}\u{001B}[31m",
        "\u{202E}\u{2066}\u{200B}\u{FEFF}",
        "",
        "   ",
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "mailto:a@b@c",
        "tel:+1;ext=<x>",
        "https://linkedin.com.evil.example/in/x",
        "ﷺ".repeat(5000).as_str(),
    ]
    .map(String::from);
    for text in &hostile {
        let raw = RawCandidate {
            search_id: "s".into(),
            candidate_id: "c".into(),
            name: text.clone(),
            headline: Some(format!("{text} at {text}")),
            location: Some(text.clone()),
            email_hrefs: vec![text.clone(); 50],
            phone_hrefs: vec![text.clone(); 50],
            link_hrefs: vec![text.clone(); 50],
            status_text: Some(text.clone()),
            like_pressed: true,
        };
        assert_eq!(
            check(&send(raw.clone().validate().unwrap())),
            Ok(()),
            "{text:?}"
        );
        // As the page reader would send it (it cuts every text to 4,096 bytes).
        let cut = |text: &String| {
            text.chars()
                .take(MAX_RAW_TEXT_CHARS / 4)
                .collect::<String>()
        };
        let read = RawCandidate {
            name: cut(&raw.name),
            headline: raw.headline.as_ref().map(cut),
            location: raw.location.as_ref().map(cut),
            email_hrefs: raw.email_hrefs.iter().map(cut).collect(),
            phone_hrefs: raw.phone_hrefs.iter().map(cut).collect(),
            link_hrefs: raw.link_hrefs.iter().map(cut).collect(),
            status_text: raw.status_text.as_ref().map(cut),
            ..raw
        };
        assert_eq!(check(&send_now(read)), Ok(()), "{text:?}");
    }
}

#[test]
fn bad_ids_are_refused() {
    for bad in ["", "../x", "a b", "<x>", &huge(200), "é"] {
        // A candidate's ids are typed: a message carrying a bad one does not even decode.
        let mut c = serde_json::to_value(candidate()).unwrap();
        c["candidateId"] = bad.into();
        assert!(serde_json::from_value::<FetcherCandidate>(c.clone()).is_err());
        let mut message = serde_json::to_value(send(candidate())).unwrap();
        message["candidate"] = c;
        assert!(
            serde_json::from_value::<Incoming>(message).is_err(),
            "{bad:?}"
        );
        // So do messages whose own ids are bad.
        let refused = |message: serde_json::Value| {
            assert!(
                serde_json::from_value::<Incoming>(message.clone()).is_err(),
                "{message}"
            );
        };
        refused(json!({"type": "RetryUpload", "searchId": bad, "candidateId": "c"}));
        let mut job = serde_json::to_value(send(candidate())).unwrap();
        job["jobId"] = bad.into();
        refused(job);
        refused(json!({"type": "RetryFromActivity", "searchId": "s", "candidateId": bad}));
        refused(json!({"type": "ResumeAutomation", "searchId": bad}));
        refused(json!({"type": "PageSeen", "searchId": bad}));
    }
}

#[test]
fn oversized_and_unclean_candidate_fields_are_refused() {
    let mut c = candidate();
    c.name = huge(fields::NAME_MAX_CHARS + 1);
    assert_eq!(
        check(&send(c)),
        Err(InvalidField::TooLong("candidate.name"))
    );

    let mut c = candidate();
    c.name = "Jane\u{202E}Doe".into();
    assert_eq!(
        check(&send(c)),
        Err(InvalidField::NotClean("candidate.name"))
    );

    let mut c = candidate();
    c.title = Some(" padded ".into());
    assert_eq!(
        check(&send(c)),
        Err(InvalidField::NotClean("candidate.title"))
    );

    let mut c = candidate();
    c.location = Some(huge(10_000_000));
    assert_eq!(
        check(&send(c)),
        Err(InvalidField::TooLong("candidate.location"))
    );
}

#[test]
fn too_many_or_malformed_contacts_are_refused() {
    let mut c = candidate();
    c.emails = (0..=fields::MAX_CONTACTS)
        .map(|i| format!("a{i}@x.example").as_str().into())
        .collect();
    assert_eq!(
        check(&send(c)),
        Err(InvalidField::TooMany("candidate.emails"))
    );

    // Malformed emails and links cannot even be decoded into a candidate (they are typed).
    let decodes_with = |field: &str, value: serde_json::Value| {
        let mut json = serde_json::to_value(candidate()).unwrap();
        json[field] = value;
        serde_json::from_value::<FetcherCandidate>(json).is_ok()
    };
    assert!(decodes_with("emails", serde_json::json!(["a@b.example"])));
    for bad in ["not-an-email", "a@b", "<a@b.example>", "mailto:a@b.example"] {
        assert!(!decodes_with("emails", serde_json::json!([bad])), "{bad}");
    }

    let mut c = candidate();
    c.phones = vec!["call me".into()];
    assert!(check(&send(c)).is_err());

    for bad in [
        "javascript:alert(1)",
        "data:text/html,x",
        "http://x.example",
    ] {
        assert!(
            !decodes_with("websiteUrls", serde_json::json!([bad])),
            "{bad}"
        );
        assert!(
            !decodes_with("linkedinUrl", serde_json::json!(bad)),
            "{bad}"
        );
    }

    let mut c = candidate();
    c.linkedin_url = Some("https://linkedin.com.evil.example/in/jane".into());
    assert_eq!(
        check(&send(c)),
        Err(InvalidField::NotClean("candidate.linkedinUrl"))
    );

    let mut c = candidate();
    c.github_url = Some("https://github.com/Jane".into()); // not the normalised form
    assert_eq!(
        check(&send(c)),
        Err(InvalidField::NotClean("candidate.githubUrl"))
    );
}

#[test]
fn page_reports_are_bounded() {
    let seen = |title: String| {
        Incoming::Content(ContentToWorker::PageSeen(PageSeen {
            account_email: Some("me@fetcher.example".into()),
            search_id: Some("s1".into()),
            search_title: Some(title),
            search_owner_email: None,
        }))
    };
    // Raw page text is allowed (the worker cleans it), up to the reader's bound.
    assert_eq!(check(&seen("<b>\u{202E}Q4</b>".into())), Ok(()));
    assert_eq!(check(&seen(huge(MAX_RAW_TEXT_CHARS))), Ok(()));
    assert_eq!(
        check(&seen(huge(MAX_RAW_TEXT_CHARS + 1))),
        Err(InvalidField::TooLong("searchTitle"))
    );
    // A bad search id does not decode (`SearchId`): see `bad_ids_are_refused`.

    // A page kind is one of `PageKind`'s names, or the message does not decode.
    let hello = |kind: &str| {
        serde_json::from_value::<Incoming>(serde_json::json!({"type": "Hello", "pageKind": kind}))
            .map(|message| check(&message))
    };
    assert_eq!(hello("profile").ok(), Some(Ok(())));
    assert_eq!(hello("unrecognised").ok(), Some(Ok(())));
    assert!(hello("").is_err());
    assert!(hello("<script>").is_err());
    assert!(hello(&"a".repeat(33)).is_err());

    let blocked = |reason: String| {
        check(&Incoming::Content(ContentToWorker::ContentBlocked(
            ContentBlocked { reason },
        )))
    };
    assert_eq!(blocked("CompileError: wasm blocked by CSP".into()), Ok(()));
    assert!(blocked(huge(MAX_REASON_CHARS + 1)).is_err());
}

#[test]
fn ui_fields_are_checked() {
    let connect = |key: String| check(&Incoming::Ui(UiToWorker::Connect(Connect { api_key: key })));
    // Short malformed keys pass here: the connection answers them with a friendlier message.
    assert_eq!(connect(String::new()), Ok(()));
    assert_eq!(connect("sandbox-key-full".into()), Ok(()));
    assert_eq!(
        connect(huge(MAX_PASTED_KEY_BYTES + 1)),
        Err(InvalidField::TooLong("apiKey"))
    );

    let save = |automation: SearchAutomation| {
        check(&Incoming::Ui(UiToWorker::SaveAutomation(SaveAutomation {
            automation,
        })))
    };
    let good = SearchAutomation {
        job_id: Some("job-1".into()),
        applicant_limit: Some(50),
        ..SearchAutomation::off("s1".into())
    };
    assert_eq!(save(good.clone()), Ok(()));
    // Ids are typed: a message with a bad one does not even decode.
    let message = serde_json::to_value(UiToWorker::SaveAutomation(SaveAutomation {
        automation: good.clone(),
    }))
    .unwrap();
    assert!(serde_json::from_value::<Incoming>(message.clone()).is_ok());
    for (field, bad) in [("searchId", ""), ("jobId", "<img>"), ("searchId", "a/b")] {
        let mut message = message.clone();
        message["automation"][field] = bad.into();
        assert!(
            serde_json::from_value::<Incoming>(message).is_err(),
            "{field}: {bad}"
        );
    }
    assert_eq!(
        save(SearchAutomation {
            applicant_limit: Some(u32::MAX),
            ..good
        }),
        Err(InvalidField::TooLong("applicantLimit"))
    );
    for plain in [
        UiToWorker::Ping,
        UiToWorker::ListJobs(ListJobs { refresh: true }),
        UiToWorker::SetKeyStorage(SetKeyStorage { remember: true }),
    ] {
        assert_eq!(check(&Incoming::Ui(plain)), Ok(()));
    }
}

#[test]
fn candidate_reports_are_bounded_and_each_reading_checked() {
    let seen = |candidates: Vec<RawCandidate>| {
        Incoming::Content(ContentToWorker::CandidatesSeen(CandidatesSeen {
            candidates,
        }))
    };
    assert_eq!(check(&seen(vec![reading(); 50])), Ok(()));
    assert_eq!(
        check(&seen(vec![reading(); MAX_CANDIDATES_SEEN + 1])),
        Err(InvalidField::TooMany("candidates"))
    );
    let mut unbounded = reading();
    unbounded.name = huge(100_000);
    assert!(check(&seen(vec![reading(), unbounded])).is_err());
}

#[test]
fn send_dialog_messages_carry_a_token_and_a_clean_reviewed_candidate() {
    let token = "1b4e28ba-2fa1-11d2-883f-0016d3cca427".to_owned();
    let job_id: JobId = "7e1b3f5e-0000-4000-8000-000000000001".into();
    let draft = |token: &str, candidate: FetcherCandidate| {
        Incoming::Ui(UiToWorker::SendDraft(SendDraft {
            token: token.into(),
            candidate,
            job_id: job_id.clone(),
        }))
    };
    assert_eq!(check(&draft(&token, candidate())), Ok(()));
    assert!(check(&Incoming::Ui(UiToWorker::OpenDraft(OpenDraft {
        token: token.clone()
    })))
    .is_ok());
    assert!(check(&Incoming::Content(ContentToWorker::PrepareSend(
        PrepareSend {
            candidate: reading()
        }
    )))
    .is_ok());
    // A token that is not an id, and a reviewed candidate not in the validated form.
    assert_eq!(
        check(&Incoming::Ui(UiToWorker::CloseDraft(CloseDraft {
            token: "../x".into()
        }))),
        Err(InvalidField::Id("token"))
    );
    let mut dirty = candidate();
    dirty.name = "<b>\u{202E}x</b>".into();
    assert!(check(&draft(&token, dirty)).is_err());
}
