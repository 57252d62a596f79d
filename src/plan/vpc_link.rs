//! Which REST API VPC link serves a network load balancer.

use crate::model::VpcLink;

/// The existing link that targets this load balancer, if any (one being deleted does not count).
pub fn link_for<'a>(links: &'a [VpcLink], nlb_arn: &str) -> Option<&'a VpcLink> {
    links
        .iter()
        .find(|l| l.target_arns.iter().any(|t| t == nlb_arn) && l.status != "DELETING")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(id: &str, target: &str, status: &str) -> VpcLink {
        VpcLink {
            id: id.into(),
            name: id.into(),
            target_arns: vec![target.into()],
            status: status.into(),
            status_message: None,
            tags: Default::default(),
        }
    }

    #[test]
    fn finds_the_live_link_to_the_load_balancer() {
        let links = [
            link("other", "arn:nlb/b", "AVAILABLE"),
            link("gone", "arn:nlb/a", "DELETING"),
            link("mine", "arn:nlb/a", "PENDING"),
        ];
        assert_eq!(
            link_for(&links, "arn:nlb/a").map(|l| l.id.as_str()),
            Some("mine")
        );
        assert!(link_for(&links[..2], "arn:nlb/a").is_none());
        assert!(link_for(&links, "arn:nlb/c").is_none());
    }
}
