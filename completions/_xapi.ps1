
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'xapi' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'xapi'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'xapi' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Show the account, caller ARN and region of each configured side (STS GetCallerIdentity; with --role-arn, the AssumeRole answer)')
            [CompletionResult]::new('endpoint', 'endpoint', [CompletionResultType]::ParameterValue, 'Create and inspect execute-api interface VPC endpoints')
            [CompletionResult]::new('policy', 'policy', [CompletionResultType]::ParameterValue, 'Show and restore a private API''s resource policy')
            [CompletionResult]::new('grant-vpce', 'grant-vpce', [CompletionResultType]::ParameterValue, 'Let VPC endpoints call a private API: edit its resource policy, then redeploy')
            [CompletionResult]::new('revoke-vpce', 'revoke-vpce', [CompletionResultType]::ParameterValue, 'Take VPC endpoints'' access away again: edit the resource policy, then redeploy')
            [CompletionResult]::new('targets', 'targets', [CompletionResultType]::ParameterValue, 'Reconcile NLB IP targets with a VPC endpoint''s interface addresses')
            [CompletionResult]::new('vpc-link', 'vpc-link', [CompletionResultType]::ParameterValue, 'Create and list REST API VPC links')
            [CompletionResult]::new('wire-regional-front', 'wire-regional-front', [CompletionResultType]::ParameterValue, 'Pattern 1 in one command: NLB, targets, VPC link and a Regional API in front of a private API')
            [CompletionResult]::new('domain', 'domain', [CompletionResultType]::ParameterValue, 'Pattern 4: private custom domain names for private APIs')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Walk a chain end to end and say exactly what is broken and how to fix it')
            [CompletionResult]::new('mtls', 'mtls', [CompletionResultType]::ParameterValue, 'Pattern 3: an NGINX proxy that requires client certificates in front of a private API, on ECS Fargate behind an internal NLB, offered to consumers as a VPC endpoint service')
            [CompletionResult]::new('teardown', 'teardown', [CompletionResultType]::ParameterValue, 'Delete what xapi created for a stack (only what carries its xapi:stack tag)')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Every private API across accounts and regions: who can reach it, and what is wrong')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the xapi(1) man page (roff) to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'xapi;whoami' {
            [CompletionResult]::new('--producer-profile', '--producer-profile', [CompletionResultType]::ParameterName, 'Profile for the producer account')
            [CompletionResult]::new('--producer-role-arn', '--producer-role-arn', [CompletionResultType]::ParameterName, 'Role to assume in the producer account, on top of the base credentials')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;endpoint' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an interface endpoint for execute-api in a VPC, or reuse the one it has')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List execute-api interface endpoints')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one endpoint: DNS, security groups, policy and network interfaces')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'xapi;endpoint;create' {
            [CompletionResult]::new('--vpc-id', '--vpc-id', [CompletionResultType]::ParameterName, 'VPC to put the endpoint in')
            [CompletionResult]::new('--service-name', '--service-name', [CompletionResultType]::ParameterName, 'Endpoint service to connect to, e.g. an mTLS proxy''s com.amazonaws.vpce.<region>.vpce-svc-... (default: execute-api; private DNS then defaults to off)')
            [CompletionResult]::new('--subnet-id', '--subnet-id', [CompletionResultType]::ParameterName, 'Subnet for one of the endpoint''s network interfaces (one per Availability Zone)')
            [CompletionResult]::new('--security-group-id', '--security-group-id', [CompletionResultType]::ParameterName, 'Security group for the endpoint''s network interfaces (default: the VPC''s default group)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Tag to put on a new endpoint, KEY=VALUE (repeatable)')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the endpoint to become available (e.g. 90s, 10m; a bare number counts as seconds)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--private-dns', '--private-dns', [CompletionResultType]::ParameterName, 'Enable private DNS, so https://{api-id}.execute-api.{region}.amazonaws.com resolves to the endpoint (default)')
            [CompletionResult]::new('--no-private-dns', '--no-private-dns', [CompletionResultType]::ParameterName, 'Disable private DNS; callers then use https://{api-id}-{vpce-id}.execute-api.{region}.amazonaws.com')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and change nothing')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;endpoint;list' {
            [CompletionResult]::new('--vpc-id', '--vpc-id', [CompletionResultType]::ParameterName, 'Only endpoints in this VPC')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;endpoint;show' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;endpoint;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an interface endpoint for execute-api in a VPC, or reuse the one it has')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List execute-api interface endpoints')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one endpoint: DNS, security groups, policy and network interfaces')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'xapi;endpoint;help;create' {
            break
        }
        'xapi;endpoint;help;list' {
            break
        }
        'xapi;endpoint;help;show' {
            break
        }
        'xapi;endpoint;help;help' {
            break
        }
        'xapi;policy' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The policy, pretty-printed, and who it admits (by evaluating it)')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Put back a policy saved before an earlier write, then redeploy')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'xapi;policy;show' {
            [CompletionResult]::new('--api-id', '--api-id', [CompletionResultType]::ParameterName, 'The private REST API''s id')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;policy;restore' {
            [CompletionResult]::new('--api-id', '--api-id', [CompletionResultType]::ParameterName, 'The private REST API''s id')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Backup file to restore (default: the newest backup of this API)')
            [CompletionResult]::new('--lease-wait', '--lease-wait', [CompletionResultType]::ParameterName, 'How long to wait for another xapi process''s write lease on this API before giving up (exit 3), e.g. 30s, 5m')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage to redeploy so the change takes effect (repeatable; default: every stage of the API that has a deployment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and the policy diff, and change nothing')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Redeploy stages whose deployment differs from the draft without asking, publishing those draft changes too (required when not on a terminal)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;policy;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The policy, pretty-printed, and who it admits (by evaluating it)')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Put back a policy saved before an earlier write, then redeploy')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'xapi;policy;help;show' {
            break
        }
        'xapi;policy;help;restore' {
            break
        }
        'xapi;policy;help;help' {
            break
        }
        'xapi;grant-vpce' {
            [CompletionResult]::new('--api-id', '--api-id', [CompletionResultType]::ParameterName, 'The private REST API''s id (in the account of --profile / --role-arn)')
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'A private custom domain name instead, by its ARN with the domainNameId: its policy, then each mapped API''s policy on the mapped stages only')
            [CompletionResult]::new('--vpce', '--vpce', [CompletionResultType]::ParameterName, 'VPC endpoint to admit (repeatable)')
            [CompletionResult]::new('--like', '--like', [CompletionResultType]::ParameterName, 'Admit the endpoints exactly like this one, which the policy must already admit (default: the admitted endpoint needing the smallest edit)')
            [CompletionResult]::new('--resource', '--resource', [CompletionResultType]::ParameterName, 'When the policy admits no endpoint at all, the new Allow admits the endpoints on these resources only, e.g. execute-api:/prod/GET/* (repeatable; default: execute-api:/*)')
            [CompletionResult]::new('--lease-wait', '--lease-wait', [CompletionResultType]::ParameterName, 'How long to wait for another xapi process''s write lease on this API before giving up (exit 3), e.g. 30s, 5m')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage to redeploy so the change takes effect (repeatable; default: every stage of the API that has a deployment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--associate', '--associate', [CompletionResultType]::ParameterName, 'Also associate the endpoints with the API, for https://{api-id}-{vpce-id}.execute-api.{region}.amazonaws.com URLs')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and the policy diff, and change nothing')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Redeploy stages whose deployment differs from the draft without asking, publishing those draft changes too (required when not on a terminal)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;revoke-vpce' {
            [CompletionResult]::new('--api-id', '--api-id', [CompletionResultType]::ParameterName, 'The private REST API''s id (in the account of --profile / --role-arn)')
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'A private custom domain name instead, by its ARN with the domainNameId: reject the endpoints'' access associations, then remove them from the domain policy')
            [CompletionResult]::new('--vpce', '--vpce', [CompletionResultType]::ParameterName, 'VPC endpoint to remove (repeatable)')
            [CompletionResult]::new('--lease-wait', '--lease-wait', [CompletionResultType]::ParameterName, 'How long to wait for another xapi process''s write lease on this API before giving up (exit 3), e.g. 30s, 5m')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage to redeploy so the change takes effect (repeatable; default: every stage of the API that has a deployment)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--also-apis', '--also-apis', [CompletionResultType]::ParameterName, 'With --domain: also remove the endpoints from each mapped API''s policy (on the mapped stages); without it, their direct grants on the APIs stay')
            [CompletionResult]::new('--disassociate', '--disassociate', [CompletionResultType]::ParameterName, 'Also remove the endpoints'' association with the API')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and the policy diff, and change nothing')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Redeploy stages whose deployment differs from the draft without asking, publishing those draft changes too (required when not on a terminal)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;targets' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Make an IP target group''s targets equal the endpoint''s current interface IPs on port 443')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'xapi;targets;sync' {
            [CompletionResult]::new('--vpce', '--vpce', [CompletionResultType]::ParameterName, 'The execute-api endpoint whose interface addresses are the targets')
            [CompletionResult]::new('--target-group-arn', '--target-group-arn', [CompletionResultType]::ParameterName, 'The target group, by ARN')
            [CompletionResult]::new('--target-group', '--target-group', [CompletionResultType]::ParameterName, 'The target group, by name')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Deregister targets that are not current interface addresses (otherwise they are listed as stale)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and change nothing')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;targets;help' {
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Make an IP target group''s targets equal the endpoint''s current interface IPs on port 443')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'xapi;targets;help;sync' {
            break
        }
        'xapi;targets;help;help' {
            break
        }
        'xapi;vpc-link' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a REST API VPC link: v1 to a network load balancer (reusing the one that targets it), or with --v2 in subnets (reusing the one of that name)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List REST API VPC links, v1 and v2, with their status and targets or subnets')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'xapi;vpc-link;create' {
            [CompletionResult]::new('--nlb', '--nlb', [CompletionResultType]::ParameterName, 'The network load balancer of a v1 link, by ARN or name')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Name for a new link (v2: also its xapi:stack tag, so `xapi teardown --stack NAME` deletes it and the group made for it)')
            [CompletionResult]::new('--subnet-id', '--subnet-id', [CompletionResultType]::ParameterName, 'Subnet for a v2 link''s interfaces (repeatable, one VPC, at most 10; the link cannot change later)')
            [CompletionResult]::new('--security-group-id', '--security-group-id', [CompletionResultType]::ParameterName, 'Security group for a v2 link''s interfaces (repeatable) [default: a new group NAME-link letting only TCP 443 out, to the VPC''s ranges]')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the link to become AVAILABLE (e.g. 90s, 15m)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--v2', '--v2', [CompletionResultType]::ParameterName, 'A VPC link v2 (apigatewayv2): interfaces in --subnet-id, bound to no load balancer; each integration names its own')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and change nothing')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;vpc-link;list' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;vpc-link;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a REST API VPC link: v1 to a network load balancer (reusing the one that targets it), or with --v2 in subnets (reusing the one of that name)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List REST API VPC links, v1 and v2, with their status and targets or subnets')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'xapi;vpc-link;help;create' {
            break
        }
        'xapi;vpc-link;help;list' {
            break
        }
        'xapi;vpc-link;help;help' {
            break
        }
        'xapi;wire-regional-front' {
            [CompletionResult]::new('--private-api-id', '--private-api-id', [CompletionResultType]::ParameterName, 'The private REST API (in the producer account)')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'The private API''s stage the front door forwards to')
            [CompletionResult]::new('--vpce', '--vpce', [CompletionResultType]::ParameterName, 'The consumer''s execute-api endpoint whose interface addresses the NLB targets')
            [CompletionResult]::new('--subnet-id', '--subnet-id', [CompletionResultType]::ParameterName, 'Subnet for the internal NLB (repeatable; in the endpoint''s VPC)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Stack name: tags every resource (xapi:stack=NAME) and prefixes their names [default: front-<private-api-id>]')
            [CompletionResult]::new('--front-api-id', '--front-api-id', [CompletionResultType]::ParameterName, 'Use this existing Regional API as the front door')
            [CompletionResult]::new('--front-api-name', '--front-api-name', [CompletionResultType]::ParameterName, 'Name of the front-door Regional API to find or create [default: the stack name]')
            [CompletionResult]::new('--front-stage', '--front-stage', [CompletionResultType]::ParameterName, 'Stage of the front-door API [default: the private API''s stage]')
            [CompletionResult]::new('--producer-profile', '--producer-profile', [CompletionResultType]::ParameterName, 'Profile for the producer account')
            [CompletionResult]::new('--producer-role-arn', '--producer-role-arn', [CompletionResultType]::ParameterName, 'Role to assume in the producer account, on top of the base credentials')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the NLB to become active and the VPC link available')
            [CompletionResult]::new('--authorization', '--authorization', [CompletionResultType]::ParameterName, 'Authorization on the front''s ANY / and ANY /{proxy+}: iam requires SigV4-signed callers allowed execute-api:Invoke (default: keep what is there; new fronts get none)')
            [CompletionResult]::new('--allow-cidr', '--allow-cidr', [CompletionResultType]::ParameterName, 'Admit only these source ranges, through a resource policy on the front (repeatable)')
            [CompletionResult]::new('--vpc-link', '--vpc-link', [CompletionResultType]::ParameterName, 'Kind of VPC link: v2 (apigatewayv2, the integration names the NLB) or v1 (bound to the NLB) [default: v2 for a new stack; an existing stack keeps its kind]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--fix-security-group', '--fix-security-group', [CompletionResultType]::ParameterName, 'Add the missing TCP 443 rule to the endpoint''s security group instead of warning')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and change nothing')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Redeploy the private API''s stage even when its deployment differs from the draft, publishing those draft changes too (required when not on a terminal)')
            [CompletionResult]::new('--allow-public', '--allow-public', [CompletionResultType]::ParameterName, 'Accept --allow-cidr ranges wider than /8 (0.0.0.0/0, ::/0, ...), which admit a large part of the internet; refused without it')
            [CompletionResult]::new('--migrate-to-v2', '--migrate-to-v2', [CompletionResultType]::ParameterName, 'Move a stack on a v1 link to a v2 link: create it, point both integrations at it, redeploy, and only then delete the v1 link (a failure leaves the front on v1; re-run)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;domain' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a private custom domain name (or reuse the stack''s), wait until it is AVAILABLE, admit endpoints in its policy and map a private API''s stage to it')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'A domain''s status, certificate, mappings and which endpoints its policy admits')
            [CompletionResult]::new('associate', 'associate', [CompletionResultType]::ParameterValue, 'Consumer side: associate a VPC endpoint with a domain another account shares (accepting its AWS RAM invitation when asked) and, with --dns, give the endpoint''s VPC a private hosted zone for the name')
            [CompletionResult]::new('share', 'share', [CompletionResultType]::ParameterValue, 'Producer side: share a private domain with accounts or an organization through AWS RAM (one share per stack), waiting until each principal is associated')
            [CompletionResult]::new('unshare', 'unshare', [CompletionResultType]::ParameterValue, 'Producer side: stop sharing with accounts, in AWS''s order: remove them from the share, reject their access associations, remove their endpoints from the domain policy')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'xapi;domain;create' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The domain name, e.g. private.example.com (no wildcard)')
            [CompletionResult]::new('--certificate-arn', '--certificate-arn', [CompletionResultType]::ParameterName, 'ACM certificate covering the name, in the domain''s Region (RSA 2048, ECDSA P-256 or P-384)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack name: the domain''s xapi:stack tag, by which it is reused and torn down [default: the domain name with dots as hyphens, cut to 28 characters]')
            [CompletionResult]::new('--allow-vpce', '--allow-vpce', [CompletionResultType]::ParameterName, 'VPC endpoint the domain policy admits (repeatable); the mapped API''s own policy must admit it too (`xapi grant-vpce`)')
            [CompletionResult]::new('--api-id', '--api-id', [CompletionResultType]::ParameterName, 'Private REST API to map to the domain')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'The API''s stage to map')
            [CompletionResult]::new('--base-path', '--base-path', [CompletionResultType]::ParameterName, 'Base path (one level) under which the stage is served [default: none, the root]')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the domain to become AVAILABLE (about 15 minutes on AWS)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and change nothing')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;domain;show' {
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'The domain''s ARN, with its domainNameId (arn:aws:apigateway:REGION:ACCOUNT:/domainnames/NAME+ID)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;domain;associate' {
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'The shared domain''s ARN, with its domainNameId (arn:aws:apigateway:REGION:ACCOUNT:/domainnames/NAME+ID)')
            [CompletionResult]::new('--vpce', '--vpce', [CompletionResultType]::ParameterName, 'This account''s execute-api endpoint to reach the domain through')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack name: the xapi:stack tag of what this makes [default: the domain name with dots as hyphens, cut to 28 characters]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--accept-invitation', '--accept-invitation', [CompletionResultType]::ParameterName, 'Accept the domain owner''s pending AWS RAM invitation (AWS keeps it open for 12 hours)')
            [CompletionResult]::new('--dns', '--dns', [CompletionResultType]::ParameterName, 'Also create (or reuse) a private hosted zone for the name, attached to the endpoint''s VPC, with alias records to the endpoint''s Regional DNS name (A, and AAAA when dualstack)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and change nothing')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;domain;share' {
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'The domain''s ARN, with its domainNameId (arn:aws:apigateway:REGION:ACCOUNT:/domainnames/NAME+ID)')
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'Consumer account to share with (repeatable); outside the organization it gets an invitation to accept within 12 hours')
            [CompletionResult]::new('--org-arn', '--org-arn', [CompletionResultType]::ParameterName, 'Organization or organizational unit to share with (repeatable), e.g. arn:aws:organizations::111111111111:organization/o-abc123')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack name: the share is xapi-STACK-domain [default: the domain''s xapi:stack tag, else its name with dots as hyphens]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and change nothing')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;domain;unshare' {
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'The domain''s ARN, with its domainNameId (arn:aws:apigateway:REGION:ACCOUNT:/domainnames/NAME+ID)')
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'Consumer account to stop sharing with (repeatable)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack name: the share is xapi-STACK-domain [default: the domain''s xapi:stack tag, else its name with dots as hyphens]')
            [CompletionResult]::new('--lease-wait', '--lease-wait', [CompletionResultType]::ParameterName, 'How long to wait for another xapi process''s write lease on the domain policy before giving up (exit 3), e.g. 30s, 5m')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and change nothing')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;domain;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a private custom domain name (or reuse the stack''s), wait until it is AVAILABLE, admit endpoints in its policy and map a private API''s stage to it')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'A domain''s status, certificate, mappings and which endpoints its policy admits')
            [CompletionResult]::new('associate', 'associate', [CompletionResultType]::ParameterValue, 'Consumer side: associate a VPC endpoint with a domain another account shares (accepting its AWS RAM invitation when asked) and, with --dns, give the endpoint''s VPC a private hosted zone for the name')
            [CompletionResult]::new('share', 'share', [CompletionResultType]::ParameterValue, 'Producer side: share a private domain with accounts or an organization through AWS RAM (one share per stack), waiting until each principal is associated')
            [CompletionResult]::new('unshare', 'unshare', [CompletionResultType]::ParameterValue, 'Producer side: stop sharing with accounts, in AWS''s order: remove them from the share, reject their access associations, remove their endpoints from the domain policy')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'xapi;domain;help;create' {
            break
        }
        'xapi;domain;help;show' {
            break
        }
        'xapi;domain;help;associate' {
            break
        }
        'xapi;domain;help;share' {
            break
        }
        'xapi;domain;help;unshare' {
            break
        }
        'xapi;domain;help;help' {
            break
        }
        'xapi;doctor' {
            [CompletionResult]::new('--api-id', '--api-id', [CompletionResultType]::ParameterName, 'The private REST API (found from the front API''s integration when not given)')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Only check this stage of the private API')
            [CompletionResult]::new('--vpce', '--vpce', [CompletionResultType]::ParameterName, 'The consumer''s execute-api endpoint (found from the NLB''s targets when not given)')
            [CompletionResult]::new('--front-api-id', '--front-api-id', [CompletionResultType]::ParameterName, 'The Regional front-door API (pattern 1)')
            [CompletionResult]::new('--target-group-arn', '--target-group-arn', [CompletionResultType]::ParameterName, 'The NLB''s target group (found from the VPC link''s NLB when not given)')
            [CompletionResult]::new('--vpc-link-id', '--vpc-link-id', [CompletionResultType]::ParameterName, 'The VPC link (found from the front API''s integration when not given)')
            [CompletionResult]::new('--lambda', '--lambda', [CompletionResultType]::ParameterName, 'A VPC-attached Lambda function that calls the private API (pattern 2)')
            [CompletionResult]::new('--producer-profile', '--producer-profile', [CompletionResultType]::ParameterName, 'Profile for the producer account')
            [CompletionResult]::new('--producer-role-arn', '--producer-role-arn', [CompletionResultType]::ParameterName, 'Role to assume in the producer account, on top of the base credentials')
            [CompletionResult]::new('--snapshot-out', '--snapshot-out', [CompletionResultType]::ParameterName, 'Also write the evidence (everything read) to FILE, for support tickets')
            [CompletionResult]::new('--from-snapshot', '--from-snapshot', [CompletionResultType]::ParameterName, 'Re-run the checks on saved evidence, with no AWS call at all')
            [CompletionResult]::new('--mtls', '--mtls', [CompletionResultType]::ParameterName, 'An mTLS stack (pattern 3) made by `xapi mtls deploy`, read with the producer''s credentials; with --vpce, also the consumer''s endpoint to it (consumer credentials, the producer''s with --producer-*)')
            [CompletionResult]::new('--domain', '--domain', [CompletionResultType]::ParameterName, 'A private custom domain name (pattern 4), by its ARN with the domainNameId, read with the producer''s credentials (the base ones, or --producer-*); with --vpce, whether its policy and each mapped API''s policy admit that endpoint')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;mtls' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('certs', 'certs', [CompletionResultType]::ParameterValue, 'Issue a CA (or use yours), the proxy''s server certificate and client certificates (ECDSA P-256)')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Write the proxy''s nginx.conf and Dockerfile for a private API and stage')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Run the proxy on ECS Fargate behind an internal NLB offered as a VPC endpoint service (producer account)')
            [CompletionResult]::new('allow', 'allow', [CompletionResultType]::ParameterValue, 'Add an account as an allowed principal of the stack''s endpoint service, or with --revoke remove every principal of it')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The stack''s endpoint service, allowed principals, target health and task counts')
            [CompletionResult]::new('accept', 'accept', [CompletionResultType]::ParameterValue, 'Accept consumers'' endpoint connections that wait for acceptance, from allowed accounts only')
            [CompletionResult]::new('revoke-client', 'revoke-client', [CompletionResultType]::ParameterValue, 'Revoke one client certificate: add it to the CA''s CRL (DIR/crl.pem) that the proxy enforces')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'xapi;mtls;certs' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Directory to write the PEM files into (created with mode 0700)')
            [CompletionResult]::new('--server-name', '--server-name', [CompletionResultType]::ParameterName, 'DNS name consumers use to reach the proxy (the server certificate''s SAN)')
            [CompletionResult]::new('--client', '--client', [CompletionResultType]::ParameterName, 'Issue a client certificate with this common name (repeatable)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Sign with this CA certificate instead of generating a CA')
            [CompletionResult]::new('--ca-key', '--ca-key', [CompletionResultType]::ParameterName, 'The CA''s private key (unencrypted PKCS#8 PEM)')
            [CompletionResult]::new('--days', '--days', [CompletionResultType]::ParameterName, 'Validity of every issued certificate, in days (1-3650)')
            [CompletionResult]::new('--chain-crl', '--chain-crl', [CompletionResultType]::ParameterName, 'Current CRLs (PEM) of the CAs above a supplied issuing CA; NGINX checks one for each')
            [CompletionResult]::new('--refresh-chain-crl', '--refresh-chain-crl', [CompletionResultType]::ParameterName, 'Replace the CRLs of the CAs above the issuing CA in DIR/crl.pem with these (PEM), issuing and re-keying nothing')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace existing files (never a generated CA''s ca.key: see --rotate-ca)')
            [CompletionResult]::new('--rotate-ca', '--rotate-ca', [CompletionResultType]::ParameterName, 'With --force: replace the CA whose key is DIR/ca.key, invalidating every certificate it issued (the old key is kept as ca.key.retired-TIME)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;mtls;render' {
            [CompletionResult]::new('--api-id', '--api-id', [CompletionResultType]::ParameterName, 'The private REST API''s id')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'Stage the proxy forwards to')
            [CompletionResult]::new('--server-name', '--server-name', [CompletionResultType]::ParameterName, 'NGINX server_name for the TLS server (default: any name)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Directory to write nginx.conf and Dockerfile into')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace existing files')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;mtls;deploy' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Stack name: tags every resource (xapi:stack=NAME) and prefixes their names')
            [CompletionResult]::new('--vpc-id', '--vpc-id', [CompletionResultType]::ParameterName, 'VPC to run the proxy in (it needs an execute-api endpoint with private DNS)')
            [CompletionResult]::new('--subnet-id', '--subnet-id', [CompletionResultType]::ParameterName, 'Subnet for the proxy tasks and the load balancer (repeatable; one per Availability Zone)')
            [CompletionResult]::new('--certs', '--certs', [CompletionResultType]::ParameterName, 'The proxy image built from `xapi mtls render`''s Dockerfile Directory with server.pem, server.key and ca.pem (as `xapi mtls certs` writes them): stored as the Secrets Manager secret xapi/mtls/NAME and injected into the task at start; ca.key is never read')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'image')
            [CompletionResult]::new('--allow-account', '--allow-account', [CompletionResultType]::ParameterName, 'Account to admit as an allowed principal of the endpoint service (repeatable)')
            [CompletionResult]::new('--execution-role-arn', '--execution-role-arn', [CompletionResultType]::ParameterName, 'Task execution role, for pulling the image and writing logs (default: this account''s ecsTaskExecutionRole)')
            [CompletionResult]::new('--desired-count', '--desired-count', [CompletionResultType]::ParameterName, 'Number of proxy tasks to keep running')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the load balancer to become active')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and change nothing')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;mtls;allow' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The stack `xapi mtls deploy` created')
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'Account to admit (its arn:aws:iam::ACCOUNT:root principal)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--revoke', '--revoke', [CompletionResultType]::ParameterName, 'Remove every principal of the account instead (root, roles, users) and reject its connections; exit 5 if a * still admits it')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan and change nothing')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;mtls;show' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The stack `xapi mtls deploy` created')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;mtls;accept' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The stack (as given to `xapi mtls deploy --name`)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would be accepted and change nothing')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;mtls;revoke-client' {
            [CompletionResult]::new('--certs', '--certs', [CompletionResultType]::ParameterName, 'Directory `xapi mtls certs` wrote (ca.pem, crl.pem, client-NAME.pem)')
            [CompletionResult]::new('--client', '--client', [CompletionResultType]::ParameterName, 'Revoke client-NAME.pem from DIR')
            [CompletionResult]::new('--serial', '--serial', [CompletionResultType]::ParameterName, 'Revoke the certificate with this serial number (hex)')
            [CompletionResult]::new('--ca-key', '--ca-key', [CompletionResultType]::ParameterName, 'The CA''s private key, when the CA was supplied (a generated CA''s key is DIR/ca.key)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;mtls;help' {
            [CompletionResult]::new('certs', 'certs', [CompletionResultType]::ParameterValue, 'Issue a CA (or use yours), the proxy''s server certificate and client certificates (ECDSA P-256)')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Write the proxy''s nginx.conf and Dockerfile for a private API and stage')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Run the proxy on ECS Fargate behind an internal NLB offered as a VPC endpoint service (producer account)')
            [CompletionResult]::new('allow', 'allow', [CompletionResultType]::ParameterValue, 'Add an account as an allowed principal of the stack''s endpoint service, or with --revoke remove every principal of it')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The stack''s endpoint service, allowed principals, target health and task counts')
            [CompletionResult]::new('accept', 'accept', [CompletionResultType]::ParameterValue, 'Accept consumers'' endpoint connections that wait for acceptance, from allowed accounts only')
            [CompletionResult]::new('revoke-client', 'revoke-client', [CompletionResultType]::ParameterValue, 'Revoke one client certificate: add it to the CA''s CRL (DIR/crl.pem) that the proxy enforces')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'xapi;mtls;help;certs' {
            break
        }
        'xapi;mtls;help;render' {
            break
        }
        'xapi;mtls;help;deploy' {
            break
        }
        'xapi;mtls;help;allow' {
            break
        }
        'xapi;mtls;help;show' {
            break
        }
        'xapi;mtls;help;accept' {
            break
        }
        'xapi;mtls;help;revoke-client' {
            break
        }
        'xapi;mtls;help;help' {
            break
        }
        'xapi;teardown' {
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'The stack whose resources to delete')
            [CompletionResult]::new('--stack-id', '--stack-id', [CompletionResultType]::ParameterName, 'Which stack of that name (its xapi:stack-id, as deploys report it); needed only when two stacks share the name')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long to wait for each deletion AWS finishes in the background')
            [CompletionResult]::new('--recovery-days', '--recovery-days', [CompletionResultType]::ParameterName, 'Days Secrets Manager keeps a deleted secret restorable (7-30)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would be deleted and delete nothing')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Delete without asking (required when not on a terminal)')
            [CompletionResult]::new('--force-delete-secrets', '--force-delete-secrets', [CompletionResultType]::ParameterName, 'Delete the stack''s secrets at once, with no recovery window')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;audit' {
            [CompletionResult]::new('--account', '--account', [CompletionResultType]::ParameterName, 'Scan these accounts (assuming --role-name in each) instead of the current one')
            [CompletionResult]::new('--exclude-account', '--exclude-account', [CompletionResultType]::ParameterName, 'Leave these accounts out of an --org scan')
            [CompletionResult]::new('--role-name', '--role-name', [CompletionResultType]::ParameterName, 'The role to assume in each scanned account: arn:aws:iam::<ID>:role/<NAME>')
            [CompletionResult]::new('--regions', '--regions', [CompletionResultType]::ParameterName, 'Scan these regions (default: the command''s region, see --region)')
            [CompletionResult]::new('--max-concurrency', '--max-concurrency', [CompletionResultType]::ParameterName, 'Requests in flight at once per account and region')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity')
            [CompletionResult]::new('--graph', '--graph', [CompletionResultType]::ParameterName, 'Also write the access map as a graph: Graphviz for .dot/.gv, Mermaid for .mmd/.mermaid')
            [CompletionResult]::new('--snapshot-out', '--snapshot-out', [CompletionResultType]::ParameterName, 'Also write everything read to FILE, to judge it again offline')
            [CompletionResult]::new('--from-snapshot', '--from-snapshot', [CompletionResultType]::ParameterName, 'Judge a saved scan again, with no AWS call at all')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Scan every active account of the AWS Organization (assuming --role-name in each)')
            [CompletionResult]::new('--all-regions', '--all-regions', [CompletionResultType]::ParameterName, 'Scan every region enabled in each account')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;completions' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;man' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit''s findings')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'xapi;help' {
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Show the account, caller ARN and region of each configured side (STS GetCallerIdentity; with --role-arn, the AssumeRole answer)')
            [CompletionResult]::new('endpoint', 'endpoint', [CompletionResultType]::ParameterValue, 'Create and inspect execute-api interface VPC endpoints')
            [CompletionResult]::new('policy', 'policy', [CompletionResultType]::ParameterValue, 'Show and restore a private API''s resource policy')
            [CompletionResult]::new('grant-vpce', 'grant-vpce', [CompletionResultType]::ParameterValue, 'Let VPC endpoints call a private API: edit its resource policy, then redeploy')
            [CompletionResult]::new('revoke-vpce', 'revoke-vpce', [CompletionResultType]::ParameterValue, 'Take VPC endpoints'' access away again: edit the resource policy, then redeploy')
            [CompletionResult]::new('targets', 'targets', [CompletionResultType]::ParameterValue, 'Reconcile NLB IP targets with a VPC endpoint''s interface addresses')
            [CompletionResult]::new('vpc-link', 'vpc-link', [CompletionResultType]::ParameterValue, 'Create and list REST API VPC links')
            [CompletionResult]::new('wire-regional-front', 'wire-regional-front', [CompletionResultType]::ParameterValue, 'Pattern 1 in one command: NLB, targets, VPC link and a Regional API in front of a private API')
            [CompletionResult]::new('domain', 'domain', [CompletionResultType]::ParameterValue, 'Pattern 4: private custom domain names for private APIs')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Walk a chain end to end and say exactly what is broken and how to fix it')
            [CompletionResult]::new('mtls', 'mtls', [CompletionResultType]::ParameterValue, 'Pattern 3: an NGINX proxy that requires client certificates in front of a private API, on ECS Fargate behind an internal NLB, offered to consumers as a VPC endpoint service')
            [CompletionResult]::new('teardown', 'teardown', [CompletionResultType]::ParameterValue, 'Delete what xapi created for a stack (only what carries its xapi:stack tag)')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Every private API across accounts and regions: who can reach it, and what is wrong')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script to stdout')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the xapi(1) man page (roff) to stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'xapi;help;whoami' {
            break
        }
        'xapi;help;endpoint' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an interface endpoint for execute-api in a VPC, or reuse the one it has')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List execute-api interface endpoints')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one endpoint: DNS, security groups, policy and network interfaces')
            break
        }
        'xapi;help;endpoint;create' {
            break
        }
        'xapi;help;endpoint;list' {
            break
        }
        'xapi;help;endpoint;show' {
            break
        }
        'xapi;help;policy' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The policy, pretty-printed, and who it admits (by evaluating it)')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Put back a policy saved before an earlier write, then redeploy')
            break
        }
        'xapi;help;policy;show' {
            break
        }
        'xapi;help;policy;restore' {
            break
        }
        'xapi;help;grant-vpce' {
            break
        }
        'xapi;help;revoke-vpce' {
            break
        }
        'xapi;help;targets' {
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Make an IP target group''s targets equal the endpoint''s current interface IPs on port 443')
            break
        }
        'xapi;help;targets;sync' {
            break
        }
        'xapi;help;vpc-link' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a REST API VPC link: v1 to a network load balancer (reusing the one that targets it), or with --v2 in subnets (reusing the one of that name)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List REST API VPC links, v1 and v2, with their status and targets or subnets')
            break
        }
        'xapi;help;vpc-link;create' {
            break
        }
        'xapi;help;vpc-link;list' {
            break
        }
        'xapi;help;wire-regional-front' {
            break
        }
        'xapi;help;domain' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a private custom domain name (or reuse the stack''s), wait until it is AVAILABLE, admit endpoints in its policy and map a private API''s stage to it')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'A domain''s status, certificate, mappings and which endpoints its policy admits')
            [CompletionResult]::new('associate', 'associate', [CompletionResultType]::ParameterValue, 'Consumer side: associate a VPC endpoint with a domain another account shares (accepting its AWS RAM invitation when asked) and, with --dns, give the endpoint''s VPC a private hosted zone for the name')
            [CompletionResult]::new('share', 'share', [CompletionResultType]::ParameterValue, 'Producer side: share a private domain with accounts or an organization through AWS RAM (one share per stack), waiting until each principal is associated')
            [CompletionResult]::new('unshare', 'unshare', [CompletionResultType]::ParameterValue, 'Producer side: stop sharing with accounts, in AWS''s order: remove them from the share, reject their access associations, remove their endpoints from the domain policy')
            break
        }
        'xapi;help;domain;create' {
            break
        }
        'xapi;help;domain;show' {
            break
        }
        'xapi;help;domain;associate' {
            break
        }
        'xapi;help;domain;share' {
            break
        }
        'xapi;help;domain;unshare' {
            break
        }
        'xapi;help;doctor' {
            break
        }
        'xapi;help;mtls' {
            [CompletionResult]::new('certs', 'certs', [CompletionResultType]::ParameterValue, 'Issue a CA (or use yours), the proxy''s server certificate and client certificates (ECDSA P-256)')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Write the proxy''s nginx.conf and Dockerfile for a private API and stage')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Run the proxy on ECS Fargate behind an internal NLB offered as a VPC endpoint service (producer account)')
            [CompletionResult]::new('allow', 'allow', [CompletionResultType]::ParameterValue, 'Add an account as an allowed principal of the stack''s endpoint service, or with --revoke remove every principal of it')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The stack''s endpoint service, allowed principals, target health and task counts')
            [CompletionResult]::new('accept', 'accept', [CompletionResultType]::ParameterValue, 'Accept consumers'' endpoint connections that wait for acceptance, from allowed accounts only')
            [CompletionResult]::new('revoke-client', 'revoke-client', [CompletionResultType]::ParameterValue, 'Revoke one client certificate: add it to the CA''s CRL (DIR/crl.pem) that the proxy enforces')
            break
        }
        'xapi;help;mtls;certs' {
            break
        }
        'xapi;help;mtls;render' {
            break
        }
        'xapi;help;mtls;deploy' {
            break
        }
        'xapi;help;mtls;allow' {
            break
        }
        'xapi;help;mtls;show' {
            break
        }
        'xapi;help;mtls;accept' {
            break
        }
        'xapi;help;mtls;revoke-client' {
            break
        }
        'xapi;help;teardown' {
            break
        }
        'xapi;help;audit' {
            break
        }
        'xapi;help;completions' {
            break
        }
        'xapi;help;man' {
            break
        }
        'xapi;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
