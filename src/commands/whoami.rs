use serde::Serialize;

use crate::cli::WhoamiArgs;
use crate::context::Context;
use crate::error::{exit, Result};
use crate::output::{self, Report, Style};

#[derive(Debug, Serialize, serde::Deserialize, PartialEq, Eq)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Side {
    /// `account` for --profile/--role-arn, `producer` for --producer-*.
    pub side: String,
    pub account: String,
    pub arn: String,
    pub region: String,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Whoami {
    pub identities: Vec<Side>,
}

impl Report for Whoami {
    fn table(&self, style: &Style) -> String {
        let mut t = style.table(&["SIDE", "ACCOUNT", "ARN", "REGION"]);
        for s in &self.identities {
            t.add_row(vec![&s.side, &s.account, &s.arn, &s.region]);
        }
        format!("{t}\n")
    }
}

pub async fn run(ctx: &Context, args: &WhoamiArgs) -> Result<u8> {
    let (account, producer) = tokio::try_join!(ctx.aws(), ctx.producer(&args.producer))?;
    let (me, them) = tokio::try_join!(account.caller_identity(), async {
        match &producer {
            Some(p) => p.caller_identity().await.map(Some),
            None => Ok(None),
        }
    })?;
    let side = |name: &str, id: crate::model::CallerIdentity| Side {
        side: name.into(),
        account: id.account,
        arn: id.arn,
        region: ctx.region.clone(),
    };
    let mut identities = vec![side("account", me)];
    identities.extend(them.map(|id| side("producer", id)));
    output::emit(ctx, &Whoami { identities })?;
    Ok(exit::OK)
}
