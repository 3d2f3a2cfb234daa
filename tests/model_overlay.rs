//! `model/connectparticipant.overlay.json` only adds traits to the project's copy of the model:
//! the model with the overlay has the same shapes, the same members with the same targets, and
//! every trait of the model with the same value; the overlay's additions are listed in the
//! README. (`model_matches_upstream` compares the model without the overlay.)

use codegen::smithy::{Member, Model, Overlay, Shape, ShapeId, Traits};
use workspace_tests::workspace_root;

fn overlay_path() -> std::path::PathBuf {
    workspace_root().join("model/connectparticipant.overlay.json")
}

fn models() -> (Model, Model) {
    let json = std::fs::read_to_string(workspace_root().join("model/connectparticipant.json")).unwrap();
    let overlay = Overlay::read(&overlay_path()).unwrap();
    (Model::parse(&json).unwrap(), Model::parse_with_overlays(&json, &[overlay]).unwrap())
}

/// Every member of a shape by name: aggregate members, or a list's `member` and a map's `key`
/// and `value`.
fn members(shape: &Shape) -> Vec<(String, &Member)> {
    match shape.members() {
        Some(members) => members.iter().map(|(name, member)| (name.clone(), member)).collect(),
        None => ["member", "key", "value"]
            .into_iter()
            .filter_map(|name| shape.member(name).map(|member| (name.to_owned(), member)))
            .collect(),
    }
}

/// The traits `with` has beyond `without`, as `(trait id)`; fails when `with` lost or changed
/// one of `without`'s traits.
fn added_traits(owner: &str, without: &Traits, with: &Traits) -> Vec<String> {
    for id in without.ids() {
        assert_eq!(without.value(id), with.value(id), "the overlay changes trait {id} of {owner}");
    }
    with.ids().filter(|id| !without.has(id)).map(str::to_owned).collect()
}

/// `(shape or member id, trait id)` of every trait the overlay adds.
fn additions(without: &Model, with: &Model) -> Vec<(String, String)> {
    let ids_without: Vec<&ShapeId> = without.shapes.keys().collect();
    let ids_with: Vec<&ShapeId> = with.shapes.keys().collect();
    assert_eq!(ids_without, ids_with, "the overlay adds or removes shapes");
    let mut added = Vec::new();
    for (id, shape) in &without.shapes {
        let other = &with.shapes[id];
        assert_eq!(shape.type_name(), other.type_name(), "the overlay changes the type of {id}");
        let id = id.to_string();
        added.extend(added_traits(&id, shape.traits(), other.traits()).into_iter().map(|t| (id.clone(), t)));
        let (members, other_members) = (members(shape), members(other));
        let names = |m: &[(String, &Member)]| m.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(names(&members), names(&other_members), "the overlay changes the members of {id}");
        for ((name, member), (_, other_member)) in members.iter().zip(&other_members) {
            let member_id = format!("{id}${name}");
            assert_eq!(member.target, other_member.target, "the overlay changes the target of {member_id}");
            added.extend(
                added_traits(&member_id, &member.traits, &other_member.traits)
                    .into_iter()
                    .map(|t| (member_id.clone(), t)),
            );
        }
    }
    added
}

#[test]
fn the_overlay_only_adds_traits_and_the_readme_lists_them() {
    let (without, with) = models();
    let added = additions(&without, &with);
    assert!(!added.is_empty(), "{} adds nothing", overlay_path().display());
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).unwrap();
    let unlisted: Vec<String> = added
        .iter()
        .filter(|(shape, trait_id)| {
            !readme.lines().any(|line| line.contains(shape.as_str()) && line.contains(trait_id.as_str()))
        })
        .map(|(shape, trait_id)| format!("{shape} {trait_id}"))
        .collect();
    assert!(
        unlisted.is_empty(),
        "README.md does not list these overlay additions (one line naming shape and trait): {unlisted:?}"
    );
}

#[test]
fn the_overlay_marks_the_pre_signed_and_connection_urls_sensitive() {
    let (_, with) = models();
    for name in ["PreSignedAttachmentUrl", "UploadMetadataUrl", "PreSignedConnectionUrl"] {
        let id = ShapeId::parse(&format!("com.amazonaws.connectparticipant#{name}")).unwrap();
        assert!(with.shapes[&id].traits().has(codegen::smithy::traits::ids::SENSITIVE), "{name} is not @sensitive");
    }
}

#[test]
fn the_bundled_run_merges_the_overlay_beside_the_model() {
    let args = xtask::parse_args(&workspace_root(), ["regenerate".to_owned()].into_iter()).unwrap().unwrap();
    assert_eq!(args.overlays, vec![overlay_path()]);
    let args = xtask::parse_args(&workspace_root(), ["regenerate", "--no-overlay"].map(str::to_owned).into_iter())
        .unwrap()
        .unwrap();
    assert!(args.overlays.is_empty());
}
