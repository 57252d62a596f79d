
use builtin;
use str;

set edit:completion:arg-completer[xapi] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'xapi'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'xapi'= {
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand whoami 'Show the account, caller ARN and region of each configured side (STS GetCallerIdentity; with --role-arn, the AssumeRole answer)'
            cand endpoint 'Create and inspect execute-api interface VPC endpoints'
            cand policy 'Show and restore a private API''s resource policy'
            cand grant-vpce 'Let VPC endpoints call a private API: edit its resource policy, then redeploy'
            cand revoke-vpce 'Take VPC endpoints'' access away again: edit the resource policy, then redeploy'
            cand targets 'Reconcile NLB IP targets with a VPC endpoint''s interface addresses'
            cand vpc-link 'Create and list REST API VPC links'
            cand wire-regional-front 'Pattern 1 in one command: NLB, targets, VPC link and a Regional API in front of a private API'
            cand domain 'Pattern 4: private custom domain names for private APIs'
            cand doctor 'Walk a chain end to end and say exactly what is broken and how to fix it'
            cand mtls 'Pattern 3: an NGINX proxy that requires client certificates in front of a private API, on ECS Fargate behind an internal NLB, offered to consumers as a VPC endpoint service'
            cand teardown 'Delete what xapi created for a stack (only what carries its xapi:stack tag)'
            cand audit 'Every private API across accounts and regions: who can reach it, and what is wrong'
            cand completions 'Print a shell completion script to stdout'
            cand man 'Print the xapi(1) man page (roff) to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'xapi;whoami'= {
            cand --producer-profile 'Profile for the producer account'
            cand --producer-role-arn 'Role to assume in the producer account, on top of the base credentials'
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;endpoint'= {
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create an interface endpoint for execute-api in a VPC, or reuse the one it has'
            cand list 'List execute-api interface endpoints'
            cand show 'Show one endpoint: DNS, security groups, policy and network interfaces'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'xapi;endpoint;create'= {
            cand --vpc-id 'VPC to put the endpoint in'
            cand --service-name 'Endpoint service to connect to, e.g. an mTLS proxy''s com.amazonaws.vpce.<region>.vpce-svc-... (default: execute-api; private DNS then defaults to off)'
            cand --subnet-id 'Subnet for one of the endpoint''s network interfaces (one per Availability Zone)'
            cand --security-group-id 'Security group for the endpoint''s network interfaces (default: the VPC''s default group)'
            cand --tag 'Tag to put on a new endpoint, KEY=VALUE (repeatable)'
            cand --wait-timeout 'How long to wait for the endpoint to become available (e.g. 90s, 10m; a bare number counts as seconds)'
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --private-dns 'Enable private DNS, so https://{api-id}.execute-api.{region}.amazonaws.com resolves to the endpoint (default)'
            cand --no-private-dns 'Disable private DNS; callers then use https://{api-id}-{vpce-id}.execute-api.{region}.amazonaws.com'
            cand --dry-run 'Print the plan and change nothing'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;endpoint;list'= {
            cand --vpc-id 'Only endpoints in this VPC'
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;endpoint;show'= {
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;endpoint;help'= {
            cand create 'Create an interface endpoint for execute-api in a VPC, or reuse the one it has'
            cand list 'List execute-api interface endpoints'
            cand show 'Show one endpoint: DNS, security groups, policy and network interfaces'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'xapi;endpoint;help;create'= {
        }
        &'xapi;endpoint;help;list'= {
        }
        &'xapi;endpoint;help;show'= {
        }
        &'xapi;endpoint;help;help'= {
        }
        &'xapi;policy'= {
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'The policy, pretty-printed, and who it admits (by evaluating it)'
            cand restore 'Put back a policy saved before an earlier write, then redeploy'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'xapi;policy;show'= {
            cand --api-id 'The private REST API''s id'
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;policy;restore'= {
            cand --api-id 'The private REST API''s id'
            cand --from 'Backup file to restore (default: the newest backup of this API)'
            cand --lease-wait 'How long to wait for another xapi process''s write lease on this API before giving up (exit 3), e.g. 30s, 5m'
            cand --stage 'Stage to redeploy so the change takes effect (repeatable; default: every stage of the API that has a deployment)'
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --dry-run 'Print the plan and the policy diff, and change nothing'
            cand --yes 'Redeploy stages whose deployment differs from the draft without asking, publishing those draft changes too (required when not on a terminal)'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;policy;help'= {
            cand show 'The policy, pretty-printed, and who it admits (by evaluating it)'
            cand restore 'Put back a policy saved before an earlier write, then redeploy'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'xapi;policy;help;show'= {
        }
        &'xapi;policy;help;restore'= {
        }
        &'xapi;policy;help;help'= {
        }
        &'xapi;grant-vpce'= {
            cand --api-id 'The private REST API''s id (in the account of --profile / --role-arn)'
            cand --domain 'A private custom domain name instead, by its ARN with the domainNameId: its policy, then each mapped API''s policy on the mapped stages only'
            cand --vpce 'VPC endpoint to admit (repeatable)'
            cand --like 'Admit the endpoints exactly like this one, which the policy must already admit (default: the admitted endpoint needing the smallest edit)'
            cand --resource 'When the policy admits no endpoint at all, the new Allow admits the endpoints on these resources only, e.g. execute-api:/prod/GET/* (repeatable; default: execute-api:/*)'
            cand --lease-wait 'How long to wait for another xapi process''s write lease on this API before giving up (exit 3), e.g. 30s, 5m'
            cand --stage 'Stage to redeploy so the change takes effect (repeatable; default: every stage of the API that has a deployment)'
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --associate 'Also associate the endpoints with the API, for https://{api-id}-{vpce-id}.execute-api.{region}.amazonaws.com URLs'
            cand --dry-run 'Print the plan and the policy diff, and change nothing'
            cand --yes 'Redeploy stages whose deployment differs from the draft without asking, publishing those draft changes too (required when not on a terminal)'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;revoke-vpce'= {
            cand --api-id 'The private REST API''s id (in the account of --profile / --role-arn)'
            cand --domain 'A private custom domain name instead, by its ARN with the domainNameId: reject the endpoints'' access associations, then remove them from the domain policy'
            cand --vpce 'VPC endpoint to remove (repeatable)'
            cand --lease-wait 'How long to wait for another xapi process''s write lease on this API before giving up (exit 3), e.g. 30s, 5m'
            cand --stage 'Stage to redeploy so the change takes effect (repeatable; default: every stage of the API that has a deployment)'
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --also-apis 'With --domain: also remove the endpoints from each mapped API''s policy (on the mapped stages); without it, their direct grants on the APIs stay'
            cand --disassociate 'Also remove the endpoints'' association with the API'
            cand --dry-run 'Print the plan and the policy diff, and change nothing'
            cand --yes 'Redeploy stages whose deployment differs from the draft without asking, publishing those draft changes too (required when not on a terminal)'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;targets'= {
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand sync 'Make an IP target group''s targets equal the endpoint''s current interface IPs on port 443'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'xapi;targets;sync'= {
            cand --vpce 'The execute-api endpoint whose interface addresses are the targets'
            cand --target-group-arn 'The target group, by ARN'
            cand --target-group 'The target group, by name'
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --prune 'Deregister targets that are not current interface addresses (otherwise they are listed as stale)'
            cand --dry-run 'Print the plan and change nothing'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;targets;help'= {
            cand sync 'Make an IP target group''s targets equal the endpoint''s current interface IPs on port 443'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'xapi;targets;help;sync'= {
        }
        &'xapi;targets;help;help'= {
        }
        &'xapi;vpc-link'= {
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create a REST API VPC link: v1 to a network load balancer (reusing the one that targets it), or with --v2 in subnets (reusing the one of that name)'
            cand list 'List REST API VPC links, v1 and v2, with their status and targets or subnets'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'xapi;vpc-link;create'= {
            cand --nlb 'The network load balancer of a v1 link, by ARN or name'
            cand --name 'Name for a new link (v2: also its xapi:stack tag, so `xapi teardown --stack NAME` deletes it and the group made for it)'
            cand --subnet-id 'Subnet for a v2 link''s interfaces (repeatable, one VPC, at most 10; the link cannot change later)'
            cand --security-group-id 'Security group for a v2 link''s interfaces (repeatable) [default: a new group NAME-link letting only TCP 443 out, to the VPC''s ranges]'
            cand --wait-timeout 'How long to wait for the link to become AVAILABLE (e.g. 90s, 15m)'
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --v2 'A VPC link v2 (apigatewayv2): interfaces in --subnet-id, bound to no load balancer; each integration names its own'
            cand --dry-run 'Print the plan and change nothing'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;vpc-link;list'= {
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;vpc-link;help'= {
            cand create 'Create a REST API VPC link: v1 to a network load balancer (reusing the one that targets it), or with --v2 in subnets (reusing the one of that name)'
            cand list 'List REST API VPC links, v1 and v2, with their status and targets or subnets'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'xapi;vpc-link;help;create'= {
        }
        &'xapi;vpc-link;help;list'= {
        }
        &'xapi;vpc-link;help;help'= {
        }
        &'xapi;wire-regional-front'= {
            cand --private-api-id 'The private REST API (in the producer account)'
            cand --stage 'The private API''s stage the front door forwards to'
            cand --vpce 'The consumer''s execute-api endpoint whose interface addresses the NLB targets'
            cand --subnet-id 'Subnet for the internal NLB (repeatable; in the endpoint''s VPC)'
            cand --name 'Stack name: tags every resource (xapi:stack=NAME) and prefixes their names [default: front-<private-api-id>]'
            cand --front-api-id 'Use this existing Regional API as the front door'
            cand --front-api-name 'Name of the front-door Regional API to find or create [default: the stack name]'
            cand --front-stage 'Stage of the front-door API [default: the private API''s stage]'
            cand --producer-profile 'Profile for the producer account'
            cand --producer-role-arn 'Role to assume in the producer account, on top of the base credentials'
            cand --wait-timeout 'How long to wait for the NLB to become active and the VPC link available'
            cand --authorization 'Authorization on the front''s ANY / and ANY /{proxy+}: iam requires SigV4-signed callers allowed execute-api:Invoke (default: keep what is there; new fronts get none)'
            cand --allow-cidr 'Admit only these source ranges, through a resource policy on the front (repeatable)'
            cand --vpc-link 'Kind of VPC link: v2 (apigatewayv2, the integration names the NLB) or v1 (bound to the NLB) [default: v2 for a new stack; an existing stack keeps its kind]'
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --fix-security-group 'Add the missing TCP 443 rule to the endpoint''s security group instead of warning'
            cand --dry-run 'Print the plan and change nothing'
            cand --yes 'Redeploy the private API''s stage even when its deployment differs from the draft, publishing those draft changes too (required when not on a terminal)'
            cand --allow-public 'Accept --allow-cidr ranges wider than /8 (0.0.0.0/0, ::/0, ...), which admit a large part of the internet; refused without it'
            cand --migrate-to-v2 'Move a stack on a v1 link to a v2 link: create it, point both integrations at it, redeploy, and only then delete the v1 link (a failure leaves the front on v1; re-run)'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;domain'= {
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create a private custom domain name (or reuse the stack''s), wait until it is AVAILABLE, admit endpoints in its policy and map a private API''s stage to it'
            cand show 'A domain''s status, certificate, mappings and which endpoints its policy admits'
            cand associate 'Consumer side: associate a VPC endpoint with a domain another account shares (accepting its AWS RAM invitation when asked) and, with --dns, give the endpoint''s VPC a private hosted zone for the name'
            cand share 'Producer side: share a private domain with accounts or an organization through AWS RAM (one share per stack), waiting until each principal is associated'
            cand unshare 'Producer side: stop sharing with accounts, in AWS''s order: remove them from the share, reject their access associations, remove their endpoints from the domain policy'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'xapi;domain;create'= {
            cand --name 'The domain name, e.g. private.example.com (no wildcard)'
            cand --certificate-arn 'ACM certificate covering the name, in the domain''s Region (RSA 2048, ECDSA P-256 or P-384)'
            cand --stack 'Stack name: the domain''s xapi:stack tag, by which it is reused and torn down [default: the domain name with dots as hyphens, cut to 28 characters]'
            cand --allow-vpce 'VPC endpoint the domain policy admits (repeatable); the mapped API''s own policy must admit it too (`xapi grant-vpce`)'
            cand --api-id 'Private REST API to map to the domain'
            cand --stage 'The API''s stage to map'
            cand --base-path 'Base path (one level) under which the stage is served [default: none, the root]'
            cand --wait-timeout 'How long to wait for the domain to become AVAILABLE (about 15 minutes on AWS)'
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --dry-run 'Print the plan and change nothing'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;domain;show'= {
            cand --domain 'The domain''s ARN, with its domainNameId (arn:aws:apigateway:REGION:ACCOUNT:/domainnames/NAME+ID)'
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;domain;associate'= {
            cand --domain 'The shared domain''s ARN, with its domainNameId (arn:aws:apigateway:REGION:ACCOUNT:/domainnames/NAME+ID)'
            cand --vpce 'This account''s execute-api endpoint to reach the domain through'
            cand --stack 'Stack name: the xapi:stack tag of what this makes [default: the domain name with dots as hyphens, cut to 28 characters]'
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --accept-invitation 'Accept the domain owner''s pending AWS RAM invitation (AWS keeps it open for 12 hours)'
            cand --dns 'Also create (or reuse) a private hosted zone for the name, attached to the endpoint''s VPC, with alias records to the endpoint''s Regional DNS name (A, and AAAA when dualstack)'
            cand --dry-run 'Print the plan and change nothing'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;domain;share'= {
            cand --domain 'The domain''s ARN, with its domainNameId (arn:aws:apigateway:REGION:ACCOUNT:/domainnames/NAME+ID)'
            cand --account 'Consumer account to share with (repeatable); outside the organization it gets an invitation to accept within 12 hours'
            cand --org-arn 'Organization or organizational unit to share with (repeatable), e.g. arn:aws:organizations::111111111111:organization/o-abc123'
            cand --stack 'Stack name: the share is xapi-STACK-domain [default: the domain''s xapi:stack tag, else its name with dots as hyphens]'
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --dry-run 'Print the plan and change nothing'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;domain;unshare'= {
            cand --domain 'The domain''s ARN, with its domainNameId (arn:aws:apigateway:REGION:ACCOUNT:/domainnames/NAME+ID)'
            cand --account 'Consumer account to stop sharing with (repeatable)'
            cand --stack 'Stack name: the share is xapi-STACK-domain [default: the domain''s xapi:stack tag, else its name with dots as hyphens]'
            cand --lease-wait 'How long to wait for another xapi process''s write lease on the domain policy before giving up (exit 3), e.g. 30s, 5m'
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --dry-run 'Print the plan and change nothing'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;domain;help'= {
            cand create 'Create a private custom domain name (or reuse the stack''s), wait until it is AVAILABLE, admit endpoints in its policy and map a private API''s stage to it'
            cand show 'A domain''s status, certificate, mappings and which endpoints its policy admits'
            cand associate 'Consumer side: associate a VPC endpoint with a domain another account shares (accepting its AWS RAM invitation when asked) and, with --dns, give the endpoint''s VPC a private hosted zone for the name'
            cand share 'Producer side: share a private domain with accounts or an organization through AWS RAM (one share per stack), waiting until each principal is associated'
            cand unshare 'Producer side: stop sharing with accounts, in AWS''s order: remove them from the share, reject their access associations, remove their endpoints from the domain policy'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'xapi;domain;help;create'= {
        }
        &'xapi;domain;help;show'= {
        }
        &'xapi;domain;help;associate'= {
        }
        &'xapi;domain;help;share'= {
        }
        &'xapi;domain;help;unshare'= {
        }
        &'xapi;domain;help;help'= {
        }
        &'xapi;doctor'= {
            cand --api-id 'The private REST API (found from the front API''s integration when not given)'
            cand --stage 'Only check this stage of the private API'
            cand --vpce 'The consumer''s execute-api endpoint (found from the NLB''s targets when not given)'
            cand --front-api-id 'The Regional front-door API (pattern 1)'
            cand --target-group-arn 'The NLB''s target group (found from the VPC link''s NLB when not given)'
            cand --vpc-link-id 'The VPC link (found from the front API''s integration when not given)'
            cand --lambda 'A VPC-attached Lambda function that calls the private API (pattern 2)'
            cand --producer-profile 'Profile for the producer account'
            cand --producer-role-arn 'Role to assume in the producer account, on top of the base credentials'
            cand --snapshot-out 'Also write the evidence (everything read) to FILE, for support tickets'
            cand --from-snapshot 'Re-run the checks on saved evidence, with no AWS call at all'
            cand --mtls 'An mTLS stack (pattern 3) made by `xapi mtls deploy`, read with the producer''s credentials; with --vpce, also the consumer''s endpoint to it (consumer credentials, the producer''s with --producer-*)'
            cand --domain 'A private custom domain name (pattern 4), by its ARN with the domainNameId, read with the producer''s credentials (the base ones, or --producer-*); with --vpce, whether its policy and each mapped API''s policy admit that endpoint'
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;mtls'= {
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand certs 'Issue a CA (or use yours), the proxy''s server certificate and client certificates (ECDSA P-256)'
            cand render 'Write the proxy''s nginx.conf and Dockerfile for a private API and stage'
            cand deploy 'Run the proxy on ECS Fargate behind an internal NLB offered as a VPC endpoint service (producer account)'
            cand allow 'Add an account as an allowed principal of the stack''s endpoint service, or with --revoke remove every principal of it'
            cand show 'The stack''s endpoint service, allowed principals, target health and task counts'
            cand accept 'Accept consumers'' endpoint connections that wait for acceptance, from allowed accounts only'
            cand revoke-client 'Revoke one client certificate: add it to the CA''s CRL (DIR/crl.pem) that the proxy enforces'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'xapi;mtls;certs'= {
            cand --out 'Directory to write the PEM files into (created with mode 0700)'
            cand --server-name 'DNS name consumers use to reach the proxy (the server certificate''s SAN)'
            cand --client 'Issue a client certificate with this common name (repeatable)'
            cand --ca-cert 'Sign with this CA certificate instead of generating a CA'
            cand --ca-key 'The CA''s private key (unencrypted PKCS#8 PEM)'
            cand --days 'Validity of every issued certificate, in days (1-3650)'
            cand --chain-crl 'Current CRLs (PEM) of the CAs above a supplied issuing CA; NGINX checks one for each'
            cand --refresh-chain-crl 'Replace the CRLs of the CAs above the issuing CA in DIR/crl.pem with these (PEM), issuing and re-keying nothing'
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --force 'Replace existing files (never a generated CA''s ca.key: see --rotate-ca)'
            cand --rotate-ca 'With --force: replace the CA whose key is DIR/ca.key, invalidating every certificate it issued (the old key is kept as ca.key.retired-TIME)'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;mtls;render'= {
            cand --api-id 'The private REST API''s id'
            cand --stage 'Stage the proxy forwards to'
            cand --server-name 'NGINX server_name for the TLS server (default: any name)'
            cand --out 'Directory to write nginx.conf and Dockerfile into'
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --force 'Replace existing files'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;mtls;deploy'= {
            cand --name 'Stack name: tags every resource (xapi:stack=NAME) and prefixes their names'
            cand --vpc-id 'VPC to run the proxy in (it needs an execute-api endpoint with private DNS)'
            cand --subnet-id 'Subnet for the proxy tasks and the load balancer (repeatable; one per Availability Zone)'
            cand --certs 'The proxy image built from `xapi mtls render`''s Dockerfile Directory with server.pem, server.key and ca.pem (as `xapi mtls certs` writes them): stored as the Secrets Manager secret xapi/mtls/NAME and injected into the task at start; ca.key is never read'
            cand --image 'image'
            cand --allow-account 'Account to admit as an allowed principal of the endpoint service (repeatable)'
            cand --execution-role-arn 'Task execution role, for pulling the image and writing logs (default: this account''s ecsTaskExecutionRole)'
            cand --desired-count 'Number of proxy tasks to keep running'
            cand --wait-timeout 'How long to wait for the load balancer to become active'
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --dry-run 'Print the plan and change nothing'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;mtls;allow'= {
            cand --name 'The stack `xapi mtls deploy` created'
            cand --account 'Account to admit (its arn:aws:iam::ACCOUNT:root principal)'
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --revoke 'Remove every principal of the account instead (root, roles, users) and reject its connections; exit 5 if a * still admits it'
            cand --dry-run 'Print the plan and change nothing'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;mtls;show'= {
            cand --name 'The stack `xapi mtls deploy` created'
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;mtls;accept'= {
            cand --name 'The stack (as given to `xapi mtls deploy --name`)'
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --dry-run 'Print what would be accepted and change nothing'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;mtls;revoke-client'= {
            cand --certs 'Directory `xapi mtls certs` wrote (ca.pem, crl.pem, client-NAME.pem)'
            cand --client 'Revoke client-NAME.pem from DIR'
            cand --serial 'Revoke the certificate with this serial number (hex)'
            cand --ca-key 'The CA''s private key, when the CA was supplied (a generated CA''s key is DIR/ca.key)'
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;mtls;help'= {
            cand certs 'Issue a CA (or use yours), the proxy''s server certificate and client certificates (ECDSA P-256)'
            cand render 'Write the proxy''s nginx.conf and Dockerfile for a private API and stage'
            cand deploy 'Run the proxy on ECS Fargate behind an internal NLB offered as a VPC endpoint service (producer account)'
            cand allow 'Add an account as an allowed principal of the stack''s endpoint service, or with --revoke remove every principal of it'
            cand show 'The stack''s endpoint service, allowed principals, target health and task counts'
            cand accept 'Accept consumers'' endpoint connections that wait for acceptance, from allowed accounts only'
            cand revoke-client 'Revoke one client certificate: add it to the CA''s CRL (DIR/crl.pem) that the proxy enforces'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'xapi;mtls;help;certs'= {
        }
        &'xapi;mtls;help;render'= {
        }
        &'xapi;mtls;help;deploy'= {
        }
        &'xapi;mtls;help;allow'= {
        }
        &'xapi;mtls;help;show'= {
        }
        &'xapi;mtls;help;accept'= {
        }
        &'xapi;mtls;help;revoke-client'= {
        }
        &'xapi;mtls;help;help'= {
        }
        &'xapi;teardown'= {
            cand --stack 'The stack whose resources to delete'
            cand --stack-id 'Which stack of that name (its xapi:stack-id, as deploys report it); needed only when two stacks share the name'
            cand --wait-timeout 'How long to wait for each deletion AWS finishes in the background'
            cand --recovery-days 'Days Secrets Manager keeps a deleted secret restorable (7-30)'
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --dry-run 'Print what would be deleted and delete nothing'
            cand --yes 'Delete without asking (required when not on a terminal)'
            cand --force-delete-secrets 'Delete the stack''s secrets at once, with no recovery window'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;audit'= {
            cand --account 'Scan these accounts (assuming --role-name in each) instead of the current one'
            cand --exclude-account 'Leave these accounts out of an --org scan'
            cand --role-name 'The role to assume in each scanned account: arn:aws:iam::<ID>:role/<NAME>'
            cand --regions 'Scan these regions (default: the command''s region, see --region)'
            cand --max-concurrency 'Requests in flight at once per account and region'
            cand --fail-on 'Exit 1 when a finding is at or above this severity'
            cand --graph 'Also write the access map as a graph: Graphviz for .dot/.gv, Mermaid for .mmd/.mermaid'
            cand --snapshot-out 'Also write everything read to FILE, to judge it again offline'
            cand --from-snapshot 'Judge a saved scan again, with no AWS call at all'
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --org 'Scan every active account of the AWS Organization (assuming --role-name in each)'
            cand --all-regions 'Scan every region enabled in each account'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;completions'= {
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;man'= {
            cand --profile 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")'
            cand --region 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)'
            cand --endpoint-url 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)'
            cand --role-arn 'Assume this IAM role for the command''s account, on top of the base credentials'
            cand --output 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings'
            cand --color 'Colour: auto honours NO_COLOR and colours only a terminal'
            cand --connect-timeout 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)'
            cand --read-timeout 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)'
            cand --no-progress 'Never draw progress spinners'
            cand -v 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand --verbose 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'xapi;help'= {
            cand whoami 'Show the account, caller ARN and region of each configured side (STS GetCallerIdentity; with --role-arn, the AssumeRole answer)'
            cand endpoint 'Create and inspect execute-api interface VPC endpoints'
            cand policy 'Show and restore a private API''s resource policy'
            cand grant-vpce 'Let VPC endpoints call a private API: edit its resource policy, then redeploy'
            cand revoke-vpce 'Take VPC endpoints'' access away again: edit the resource policy, then redeploy'
            cand targets 'Reconcile NLB IP targets with a VPC endpoint''s interface addresses'
            cand vpc-link 'Create and list REST API VPC links'
            cand wire-regional-front 'Pattern 1 in one command: NLB, targets, VPC link and a Regional API in front of a private API'
            cand domain 'Pattern 4: private custom domain names for private APIs'
            cand doctor 'Walk a chain end to end and say exactly what is broken and how to fix it'
            cand mtls 'Pattern 3: an NGINX proxy that requires client certificates in front of a private API, on ECS Fargate behind an internal NLB, offered to consumers as a VPC endpoint service'
            cand teardown 'Delete what xapi created for a stack (only what carries its xapi:stack tag)'
            cand audit 'Every private API across accounts and regions: who can reach it, and what is wrong'
            cand completions 'Print a shell completion script to stdout'
            cand man 'Print the xapi(1) man page (roff) to stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'xapi;help;whoami'= {
        }
        &'xapi;help;endpoint'= {
            cand create 'Create an interface endpoint for execute-api in a VPC, or reuse the one it has'
            cand list 'List execute-api interface endpoints'
            cand show 'Show one endpoint: DNS, security groups, policy and network interfaces'
        }
        &'xapi;help;endpoint;create'= {
        }
        &'xapi;help;endpoint;list'= {
        }
        &'xapi;help;endpoint;show'= {
        }
        &'xapi;help;policy'= {
            cand show 'The policy, pretty-printed, and who it admits (by evaluating it)'
            cand restore 'Put back a policy saved before an earlier write, then redeploy'
        }
        &'xapi;help;policy;show'= {
        }
        &'xapi;help;policy;restore'= {
        }
        &'xapi;help;grant-vpce'= {
        }
        &'xapi;help;revoke-vpce'= {
        }
        &'xapi;help;targets'= {
            cand sync 'Make an IP target group''s targets equal the endpoint''s current interface IPs on port 443'
        }
        &'xapi;help;targets;sync'= {
        }
        &'xapi;help;vpc-link'= {
            cand create 'Create a REST API VPC link: v1 to a network load balancer (reusing the one that targets it), or with --v2 in subnets (reusing the one of that name)'
            cand list 'List REST API VPC links, v1 and v2, with their status and targets or subnets'
        }
        &'xapi;help;vpc-link;create'= {
        }
        &'xapi;help;vpc-link;list'= {
        }
        &'xapi;help;wire-regional-front'= {
        }
        &'xapi;help;domain'= {
            cand create 'Create a private custom domain name (or reuse the stack''s), wait until it is AVAILABLE, admit endpoints in its policy and map a private API''s stage to it'
            cand show 'A domain''s status, certificate, mappings and which endpoints its policy admits'
            cand associate 'Consumer side: associate a VPC endpoint with a domain another account shares (accepting its AWS RAM invitation when asked) and, with --dns, give the endpoint''s VPC a private hosted zone for the name'
            cand share 'Producer side: share a private domain with accounts or an organization through AWS RAM (one share per stack), waiting until each principal is associated'
            cand unshare 'Producer side: stop sharing with accounts, in AWS''s order: remove them from the share, reject their access associations, remove their endpoints from the domain policy'
        }
        &'xapi;help;domain;create'= {
        }
        &'xapi;help;domain;show'= {
        }
        &'xapi;help;domain;associate'= {
        }
        &'xapi;help;domain;share'= {
        }
        &'xapi;help;domain;unshare'= {
        }
        &'xapi;help;doctor'= {
        }
        &'xapi;help;mtls'= {
            cand certs 'Issue a CA (or use yours), the proxy''s server certificate and client certificates (ECDSA P-256)'
            cand render 'Write the proxy''s nginx.conf and Dockerfile for a private API and stage'
            cand deploy 'Run the proxy on ECS Fargate behind an internal NLB offered as a VPC endpoint service (producer account)'
            cand allow 'Add an account as an allowed principal of the stack''s endpoint service, or with --revoke remove every principal of it'
            cand show 'The stack''s endpoint service, allowed principals, target health and task counts'
            cand accept 'Accept consumers'' endpoint connections that wait for acceptance, from allowed accounts only'
            cand revoke-client 'Revoke one client certificate: add it to the CA''s CRL (DIR/crl.pem) that the proxy enforces'
        }
        &'xapi;help;mtls;certs'= {
        }
        &'xapi;help;mtls;render'= {
        }
        &'xapi;help;mtls;deploy'= {
        }
        &'xapi;help;mtls;allow'= {
        }
        &'xapi;help;mtls;show'= {
        }
        &'xapi;help;mtls;accept'= {
        }
        &'xapi;help;mtls;revoke-client'= {
        }
        &'xapi;help;teardown'= {
        }
        &'xapi;help;audit'= {
        }
        &'xapi;help;completions'= {
        }
        &'xapi;help;man'= {
        }
        &'xapi;help;help'= {
        }
    ]
    $completions[$command]
}
