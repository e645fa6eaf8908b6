//! The authorization matrix of the built-in profile: every authority ×
//! every position, alone and with a deputyship or a delegation, before, at
//! and after their boundaries. The expectations are written here from the
//! regulation's articles, not read back from the profile.

use std::collections::BTreeSet;

use mudurluk_domain::authority::*;
use mudurluk_domain::profile::Profile;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

/// (position, staff kind) of the person who holds it in these tests, with
/// a user id each. Teknik Bakım's staff member is an İşçi and Elektronik
/// Sistemler's is contractor staff, so neither may initial (m.4, m.15/3).
const PEOPLE: &[(i64, &str, &str)] = &[
    (1, "baskan", "memur"),
    (2, "baskan_yardimcisi", "memur"),
    (3, "mudur", "memur"),
    (4, "sef_kalem", "memur"),
    (5, "sef_bt", "memur"),
    (6, "sef_teknik", "memur"),
    (7, "sef_cbs", "memur"),
    (8, "sef_elektronik", "memur"),
    (9, "personel_kalem", "memur"),
    (10, "personel_bt", "memur"),
    (11, "personel_teknik", "isci"),
    (12, "personel_cbs", "memur"),
    (13, "personel_elektronik", "sirket"),
    (14, "tasinir_kayit_yetkilisi", "memur"),
];
const MUDUR: i64 = 3;
const BASKAN: i64 = 1;
const SEFS: &[&str] = &[
    "sef_kalem",
    "sef_bt",
    "sef_teknik",
    "sef_cbs",
    "sef_elektronik",
];

/// Who holds each authority by position, from the articles.
fn expected_holders(authority: &str) -> BTreeSet<&'static str> {
    let set = |v: &[&'static str]| v.iter().copied().collect::<BTreeSet<_>>();
    match authority {
        // m.20/1-c, m.21/1: every incoming document goes to the Müdür, who routes it.
        "route_incoming" => set(&["mudur"]),
        // m.13, m.21/1: a Şef directs the work of the section; the unit takes delivery and acts.
        "route_within_section" => set(SEFS),
        // m.16/1: the Kalem keeps the incoming, outgoing and petition registers.
        "register_correspondence" => set(&["sef_kalem", "personel_kalem"]),
        // m.15/3 with m.4: a Memur (657, with signature authority) initials what he writes.
        "initial_document" => set(&[
            "sef_kalem",
            "sef_bt",
            "sef_teknik",
            "sef_cbs",
            "sef_elektronik",
            "personel_kalem",
            "personel_bt",
            "personel_cbs",
        ]),
        // m.20/2-a: letters to other directorates are signed by the Müdür.
        "sign_internal" => set(&["mudur"]),
        // m.20/3: letters to outside bodies are initialled by the Müdür and the Deputy Mayor …
        "initial_external" => set(&["mudur", "baskan_yardimcisi"]),
        // … and signed by the Mayor (or the Deputy Mayor he authorises: a delegation).
        "sign_external" => set(&["baskan"]),
        // m.9/4, m.10/3: the Müdür is spending authority.
        "spending_authority" => set(&["mudur"]),
        // m.9/4, m.10/12: the Müdür is disciplinary superior.
        "discipline" => set(&["mudur"]),
        // m.10/4: the Müdür delegates to subordinates and takes it back;
        // m.20/3: the Mayor authorises the Deputy Mayor to sign outside letters.
        "delegate_authority" => set(&["mudur", "baskan"]),
        // m.10/9: the Müdür forms working groups.
        "form_working_groups" => set(&["mudur"]),
        // m.8/8, m.10/11: the Müdür appoints the taşınır officer.
        "appoint_asset_officer" => set(&["mudur"]),
        // m.8/8, m.10/11 with the Taşınır Mal Yönetmeliği: the records of
        // the movable assets are kept by the Taşınır Kayıt Yetkilisi the
        // Müdür appoints, not by the Müdür himself (who approves).
        "manage_assets" => set(&["tasinir_kayit_yetkilisi"]),
        // m.20/1-ç: the handover and departure are recorded by the Müdür,
        // who directs the staff (m.10), and by the Kalem's Şef, who keeps
        // personnel affairs (m.16/1).
        "record_departures" => set(&["mudur", "sef_kalem"]),
        // m.10/14: the Müdür orders overtime.
        "order_overtime" => set(&["mudur"]),
        // m.12/2: the Mayor approves (olur) a deputy for the Müdür.
        // m.9/4: the Müdür, disciplinary superior of the staff, approves
        // their leave (657 m.102, 4857 m.53); the Başkan Yardımcısı the
        // Müdür's.
        "approve_leave" => set(&["mudur", "baskan_yardimcisi"]),
        // m.16/1: the Kalem keeps leave, reports, timesheets, overtime and
        // the personnel files.
        "keep_personnel_records" => set(&["sef_kalem", "personel_kalem"]),
        "approve_deputyship" => set(&["baskan"]),
        // m.11, m.8/28: the Müdür answers to inspectors with the records.
        "view_audit_trail" => set(&["mudur"]),
        // m.8/23-31: the directorate audits the institution's information
        // security; m.16/5-c: the Bilgi Teknolojileri Şefliği does it.
        "audit_security" => set(&["mudur", "sef_bt"]),
        // m.8/23-31 with Law 6698 m.12: the KVKK records, the same office.
        "manage_kvkk" => set(&["mudur", "sef_bt"]),
        // m.8/23-31: the incident response team (SOME) of the directorate;
        // m.16/5-c: the Bilgi Teknolojileri Şefliği and its staff.
        "respond_incidents" => set(&["mudur", "sef_bt", "personel_bt"]),
        // m.8/19: the directorate digitises its archive per the Standard File
        // Plan; m.16/2-a: the Kalem runs the electronic document system.
        "digitise_archive" => set(&["mudur", "sef_kalem", "personel_kalem"]),
        // m.22: the Müdür has files whose retention has run out disposed of,
        // on the ayıklama-imha commission's decision.
        "dispose_archive" => set(&["mudur"]),
        // Devlet Arşiv Hizmetleri Hakkında Yönetmelik m.19, m.21: the
        // institution's highest superior approves the disposal list.
        "approve_disposal" => set(&["baskan"]),
        // m.13 (a Şef directs his section's work), m.16 (each section's
        // duties), m.18/2 (a task passes to the section responsible): the
        // service desk's requests are distributed by each section's Şef, and
        // by the Müdür over all of them.
        "assign_requests" => set(&[
            "mudur",
            "sef_kalem",
            "sef_bt",
            "sef_teknik",
            "sef_cbs",
            "sef_elektronik",
        ]),
        // m.18/1-b: tasks come from the plans, programmes and orders of the
        // Mayor, the Deputy Mayor and the Müdür; m.12, m.15: the Şef gives
        // the work of his section to its staff.
        "assign_tasks" => set(&[
            "baskan",
            "baskan_yardimcisi",
            "mudur",
            "sef_kalem",
            "sef_bt",
            "sef_teknik",
            "sef_cbs",
            "sef_elektronik",
        ]),
        other => panic!("the matrix has no expectation for `{other}`: add it with its article"),
    }
}

/// What a holder may pass on under m.10/4 (personal powers such as
/// discipline and the power to delegate itself are not delegable).
fn delegable(authority: &str) -> bool {
    matches!(
        authority,
        "route_incoming"
            | "sign_internal"
            | "sign_external"
            | "spending_authority"
            | "form_working_groups"
            | "order_overtime"
            | "approve_leave"
            | "view_audit_trail"
            | "approve_disposal"
            | "assign_requests"
    )
}

const T1: OffsetDateTime = datetime!(2026-03-02 08:30 UTC);
const T2: OffsetDateTime = datetime!(2026-03-13 17:30 UTC);
const FOREVER: Period = Period {
    from: datetime!(2020-01-01 00:00 UTC),
    until: datetime!(2100-01-01 00:00 UTC),
};
const PERIOD: Period = Period {
    from: T1,
    until: T2,
};

fn staff() -> FactSet {
    let mut f = FactSet::default();
    for &(user, position, kind) in PEOPLE {
        f.hold(Holding {
            user,
            position: position.into(),
            staff_kind: kind.into(),
            period: FOREVER,
        });
    }
    f
}

/// The moments each period test looks at, with whether the period covers them.
fn moments() -> [(OffsetDateTime, bool, &'static str); 5] {
    [
        (T1 - Duration::seconds(1), false, "just before it starts"),
        (T1, true, "at its start"),
        (T1 + Duration::days(3), true, "inside"),
        (T2 - Duration::nanoseconds(1), true, "at its last instant"),
        (T2, false, "at its end"),
    ]
}

#[test]
fn every_authority_by_every_position() {
    let p = Profile::builtin().unwrap();
    let f = staff();
    assert_eq!(p.authorities().len(), 27);
    for a in p.authorities() {
        let holders = expected_holders(&a.id);
        for &(user, position, _) in PEOPLE {
            let d = authorize(&p, &f, user, &a.id, T1);
            assert_eq!(
                d.allowed(),
                holders.contains(position),
                "{position} × {}",
                a.id
            );
            match d {
                Decision::Allow(Basis::Position {
                    position: held,
                    article,
                }) => {
                    assert_eq!(held, position);
                    assert_eq!(article, a.article);
                }
                Decision::Deny { missing } => {
                    assert_eq!(missing, a.id, "the refusal names the missing authority")
                }
                other => panic!("{position} × {}: unexpected basis {other:?}", a.id),
            }
        }
    }
    assert_eq!(
        authorize(&p, &f, MUDUR, "no_such_authority", T1),
        Decision::Deny {
            missing: "no_such_authority".into()
        }
    );
}

#[test]
fn a_deputyship_gives_the_mudurs_authorities_to_an_eligible_sef_for_its_period_only() {
    let p = Profile::builtin().unwrap();
    for &(deputy, position, _) in PEOPLE.iter().filter(|(u, _, _)| *u != MUDUR) {
        let mut f = staff();
        f.deputise(Deputyship {
            id: 7,
            deputy,
            for_user: MUDUR,
            period: PERIOD,
            approval_ref: "Olur 2026/41".into(),
            revoked_at: None,
        });
        let eligible = SEFS.contains(&position); // m.12/2: a Şef runs the directorate
        for a in p.authorities() {
            let direct = expected_holders(&a.id).contains(position);
            let of_mudur = expected_holders(&a.id).contains("mudur");
            for (at, inside, when) in moments() {
                let d = authorize(&p, &f, deputy, &a.id, at);
                let expect = direct || (inside && eligible && of_mudur);
                assert_eq!(
                    d.allowed(),
                    expect,
                    "{position} deputising, {} {when}",
                    a.id
                );
                if expect && !direct {
                    match d {
                        Decision::Allow(Basis::Deputyship {
                            id,
                            for_user,
                            article,
                            approval_ref,
                            ..
                        }) => {
                            assert_eq!(
                                (id, for_user, article.as_str(), approval_ref.as_str()),
                                (7, MUDUR, "m.12/2", "Olur 2026/41")
                            );
                        }
                        other => panic!("expected a deputyship basis, got {other:?}"),
                    }
                }
            }
        }
    }
}

#[test]
fn a_delegation_gives_one_delegable_authority_for_its_period_while_its_source_holds_it() {
    let p = Profile::builtin().unwrap();
    let sef_teknik = 6;
    for a in p.authorities() {
        // The holder by position delegates (the Müdür, or the Mayor for sign_external).
        let from = if matches!(
            a.id.as_str(),
            "sign_external" | "approve_deputyship" | "approve_disposal"
        ) {
            BASKAN
        } else {
            MUDUR
        };
        let to = if a.id == "sign_external" || a.id == "approve_disposal" {
            2
        } else {
            sef_teknik
        };
        let to_position = PEOPLE.iter().find(|(u, _, _)| *u == to).unwrap().1;
        let mut f = staff();
        f.delegate(Delegation {
            id: 3,
            from_user: from,
            to_user: to,
            authority: a.id.clone(),
            period: PERIOD,
            approval_ref: "2026/E-112".into(),
            revoked_at: None,
        });
        let direct = expected_holders(&a.id).contains(to_position);
        for (at, inside, when) in moments() {
            let d = authorize(&p, &f, to, &a.id, at);
            let expect = direct || (inside && delegable(&a.id));
            assert_eq!(
                d.allowed(),
                expect,
                "{} delegated to {to_position}, {when}",
                a.id
            );
            if expect && !direct {
                // m.10/4 for the Müdür's delegations; the profile's own
                // article for the Mayor's (m.20/3 for his signature).
                let article = match a.id.as_str() {
                    "sign_external" => "m.20/3",
                    "approve_disposal" => "Başkanlık yetki devri onayı",
                    _ => "m.10/4",
                };
                assert!(
                    matches!(&d, Decision::Allow(Basis::Delegation { id: 3, article: got, .. }) if got == article),
                    "{}: {d:?}",
                    a.id
                );
            }
        }
        // Delegating is itself checked against m.10/4.
        let made = may_delegate(&p, &staff(), from, to, &a.id, PERIOD, T1);
        if delegable(&a.id) && expected_holders(&a.id).contains(PEOPLE[(from - 1) as usize].1) {
            assert_eq!(made, Ok(()), "{}", a.id);
        } else {
            assert!(
                made.is_err(),
                "{} should not be delegable by user {from}",
                a.id
            );
        }
    }
}

#[test]
fn revocation_and_loss_of_the_source_end_a_grant_at_once() {
    let p = Profile::builtin().unwrap();
    let revoked = T1 + Duration::days(2);
    let mut f = staff();
    f.delegate(Delegation {
        id: 1,
        from_user: MUDUR,
        to_user: 10,
        authority: "order_overtime".into(),
        period: PERIOD,
        approval_ref: "x".into(),
        revoked_at: Some(revoked),
    });
    f.deputise(Deputyship {
        id: 2,
        deputy: 5,
        for_user: MUDUR,
        period: PERIOD,
        approval_ref: "y".into(),
        revoked_at: Some(revoked),
    });
    for (user, auth) in [(10, "order_overtime"), (5, "route_incoming")] {
        assert!(authorize(&p, &f, user, auth, revoked - Duration::nanoseconds(1)).allowed());
        assert!(
            !authorize(&p, &f, user, auth, revoked).allowed(),
            "{auth} after revocation"
        );
    }

    // The Müdür leaves his post: what he delegated, and the deputyship for
    // him, stop with it.
    let left = T1 + Duration::days(1);
    let mut f = FactSet::default();
    for &(user, position, kind) in PEOPLE {
        let period = if user == MUDUR {
            Period {
                from: FOREVER.from,
                until: left,
            }
        } else {
            FOREVER
        };
        f.hold(Holding {
            user,
            position: position.into(),
            staff_kind: kind.into(),
            period,
        });
    }
    f.delegate(Delegation {
        id: 1,
        from_user: MUDUR,
        to_user: 10,
        authority: "order_overtime".into(),
        period: PERIOD,
        approval_ref: "x".into(),
        revoked_at: None,
    });
    f.deputise(Deputyship {
        id: 2,
        deputy: 5,
        for_user: MUDUR,
        period: PERIOD,
        approval_ref: "y".into(),
        revoked_at: None,
    });
    assert!(authorize(&p, &f, 10, "order_overtime", left - Duration::seconds(1)).allowed());
    assert!(!authorize(&p, &f, 10, "order_overtime", left).allowed());
    assert!(!authorize(&p, &f, 5, "route_incoming", left).allowed());
}

#[test]
fn delegating_what_you_do_not_hold_is_refused() {
    let p = Profile::builtin().unwrap();
    let f = staff();
    assert_eq!(
        may_delegate(&p, &f, 5, 10, "route_incoming", PERIOD, T1),
        Err(DelegationError::NotHeld("route_incoming".into()))
    );
    assert_eq!(
        may_delegate(&p, &f, MUDUR, 5, "discipline", PERIOD, T1),
        Err(DelegationError::NotDelegable("discipline".into()))
    );
    assert_eq!(
        may_delegate(&p, &f, MUDUR, 5, "yok", PERIOD, T1),
        Err(DelegationError::UnknownAuthority("yok".into()))
    );
    assert_eq!(
        may_delegate(&p, &f, MUDUR, MUDUR, "route_incoming", PERIOD, T1),
        Err(DelegationError::ToSelf)
    );
    let empty = Period {
        from: T2,
        until: T1,
    };
    assert_eq!(
        may_delegate(&p, &f, MUDUR, 5, "route_incoming", empty, T1),
        Err(DelegationError::EmptyPeriod)
    );
    // A delegation record of a non-delegable authority grants nothing.
    let mut f = staff();
    f.delegate(Delegation {
        id: 1,
        from_user: MUDUR,
        to_user: 5,
        authority: "discipline".into(),
        period: PERIOD,
        approval_ref: "x".into(),
        revoked_at: None,
    });
    assert!(!authorize(&p, &f, 5, "discipline", T1).allowed());
}

#[test]
fn the_same_facts_and_moment_always_give_the_same_basis() {
    let p = Profile::builtin().unwrap();
    let mut f = staff();
    // Two delegations of the same authority: the lower id is the basis,
    // whatever order they were recorded in.
    f.delegate(Delegation {
        id: 9,
        from_user: MUDUR,
        to_user: 10,
        authority: "order_overtime".into(),
        period: PERIOD,
        approval_ref: "b".into(),
        revoked_at: None,
    });
    f.delegate(Delegation {
        id: 4,
        from_user: MUDUR,
        to_user: 10,
        authority: "order_overtime".into(),
        period: PERIOD,
        approval_ref: "a".into(),
        revoked_at: None,
    });
    let first = authorize(&p, &f, 10, "order_overtime", T1);
    assert!(matches!(
        &first,
        Decision::Allow(Basis::Delegation { id: 4, .. })
    ));
    for _ in 0..10 {
        assert_eq!(authorize(&p, &f, 10, "order_overtime", T1), first);
    }
    // "My authorities" lists each with its basis, in profile order.
    let mine: Vec<_> = authorities_of(&p, &f, 10, T1)
        .into_iter()
        .map(|(a, _)| a.id.as_str())
        .collect();
    assert_eq!(
        mine,
        ["initial_document", "order_overtime", "respond_incidents"]
    );
}

/// Correction 1 (m.10/4, m.4): whom a delegation may go to. Each row:
/// (delegator, recipient, authority, expected), with the rule it rests on.
#[test]
fn delegations_go_down_the_line_to_those_who_may_hold_them() {
    // A profile where the BT Şef may also delegate what he holds, to show
    // sideways and upward refusals inside the directorate.
    let text = mudurluk_domain::profile::BUILTIN
        .replacen("holders = [\"mudur\", \"baskan\"]\narticle = \"m.10/4\"", "holders = [\"mudur\", \"baskan\", \"sef_bt\"]\narticle = \"m.10/4\"", 1)
        .replacen("name_en = \"Form working groups and assign staff\"\nholders = [\"mudur\"]",
            "name_en = \"Form working groups and assign staff\"\nholders = [\"mudur\", \"sef_bt\", \"sef_cbs\"]", 1);
    assert_ne!(
        text,
        mudurluk_domain::profile::BUILTIN,
        "test setup: the profile was widened"
    );
    let wide = Profile::from_toml(&text).unwrap();
    let p = Profile::builtin().unwrap();
    let f = staff();
    use DelegationError::*;
    let cases: &[(&Profile, i64, i64, &str, Result<(), DelegationError>, &str)] = &[
        (
            &p,
            MUDUR,
            5,
            "sign_internal",
            Ok(()),
            "m.10/4: the Müdür to a Şef under him",
        ),
        (
            &p,
            MUDUR,
            10,
            "sign_internal",
            Ok(()),
            "m.10/4: to a Memur two levels down",
        ),
        (
            &p,
            MUDUR,
            11,
            "sign_internal",
            Err(SignatureNeedsSigner("sign_internal".into())),
            "m.4: an İşçi has no signature authority",
        ),
        (
            &p,
            MUDUR,
            13,
            "sign_internal",
            Err(SignatureNeedsSigner("sign_internal".into())),
            "m.4: nor has contractor staff",
        ),
        (
            &p,
            MUDUR,
            11,
            "order_overtime",
            Ok(()),
            "not a signature: any subordinate may receive it",
        ),
        (
            &p,
            MUDUR,
            2,
            "order_overtime",
            Err(NotSubordinate),
            "m.10/4 astlarına: never upwards (the Deputy Mayor)",
        ),
        (
            &p,
            MUDUR,
            BASKAN,
            "sign_internal",
            Err(NotSubordinate),
            "never to the Mayor",
        ),
        (
            &p,
            BASKAN,
            2,
            "sign_external",
            Ok(()),
            "m.20/3: the Mayor authorises the Deputy Mayor",
        ),
        (
            &p,
            BASKAN,
            MUDUR,
            "sign_external",
            Err(RecipientCannotHold("sign_external".into())),
            "m.20/3: \"yetki verdiği Başkan Yardımcısı\": only a Deputy Mayor",
        ),
        (
            &p,
            BASKAN,
            10,
            "sign_external",
            Err(RecipientCannotHold("sign_external".into())),
            "m.20/3: never a Memur, who would sign his own letters",
        ),
        (
            &wide,
            5,
            10,
            "form_working_groups",
            Ok(()),
            "a Şef to his own section's staff",
        ),
        (
            &wide,
            5,
            12,
            "form_working_groups",
            Err(NotSubordinate),
            "m.10/4: not sideways into another section",
        ),
        (
            &wide,
            5,
            7,
            "form_working_groups",
            Err(NotSubordinate),
            "nor to a fellow Şef",
        ),
        (
            &wide,
            5,
            MUDUR,
            "form_working_groups",
            Err(NotSubordinate),
            "nor up to the Müdür",
        ),
        (
            &wide,
            7,
            12,
            "form_working_groups",
            Err(NoDelegationPower),
            "the profile's delegate_authority entry is enforced",
        ),
    ];
    for (profile, from, to, authority, expected, rule) in cases {
        assert_eq!(
            &may_delegate(profile, &f, *from, *to, authority, PERIOD, T1),
            expected,
            "{rule}"
        );
    }
}

/// m.4: the Memur is the staff "with signature authority". An İşçi put in
/// a post that initials or signs holds the post's other authorities, never
/// its paraf or imza.
#[test]
fn signature_authorities_need_staff_who_may_sign() {
    let p = Profile::builtin().unwrap();
    let mut f = FactSet::default();
    f.hold(Holding {
        user: 42,
        position: "mudur".into(),
        staff_kind: "isci".into(),
        period: PERIOD,
    });
    f.hold(Holding {
        user: 43,
        position: "mudur".into(),
        staff_kind: "memur".into(),
        period: PERIOD,
    });
    for a in ["sign_internal", "initial_external", "initial_document"] {
        assert!(
            !authorize(&p, &f, 42, a, T1).allowed(),
            "an İşçi in the Müdür's post holds no {a}"
        );
    }
    assert!(
        authorize(&p, &f, 42, "route_incoming", T1).allowed(),
        "the post's other authorities stay"
    );
    assert!(authorize(&p, &f, 43, "sign_internal", T1).allowed());
}

/// The periodic access review (Yönetmelik m.8/23-31; the security guide's
/// 3.1.12): a person's access is decided by a superior of his post, or by
/// the security office (`audit_security`: the Müdür, the BT Şefi) — never
/// by himself, and never by a subordinate, except for the top of the
/// organisation (the Başkan), whom nobody is above.
#[test]
fn who_reviews_whose_access() {
    let p = Profile::builtin().unwrap();
    let f = staff();
    let user = |id: i64| mudurluk_domain::account::User {
        id,
        username: format!("u{id}"),
        display_name: format!("U {id}"),
        is_admin: false,
    };
    let by_position = |pos: &str| PEOPLE.iter().find(|(_, p, _)| *p == pos).unwrap().0;
    let (sef_bt, personel_bt, personel_teknik, sef_kalem, by) = (
        by_position("sef_bt"),
        by_position("personel_bt"),
        by_position("personel_teknik"),
        by_position("sef_kalem"),
        by_position("baskan_yardimcisi"),
    );
    for (actor, subject, allowed, why) in [
        (sef_bt, personel_bt, true, "his own staff"),
        (sef_kalem, personel_bt, false, "another section's staff"),
        (
            sef_bt,
            personel_teknik,
            true,
            "the security office: another section",
        ),
        (sef_bt, sef_bt, false, "his own line"),
        (sef_bt, MUDUR, false, "his own superior"),
        (by, MUDUR, true, "the Müdür's superior"),
        (MUDUR, BASKAN, true, "the top: the security office"),
        (MUDUR, by, false, "his own superior"),
        (
            personel_bt,
            personel_teknik,
            false,
            "no post above, no audit_security",
        ),
        (
            MUDUR,
            999,
            true,
            "an account without a post: the security office",
        ),
    ] {
        assert_eq!(
            review_access(&p, &f, &user(actor), subject, T1).is_ok(),
            allowed,
            "{actor} on {subject}: {why}"
        );
    }
}
