
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
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never draw progress spinners')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log to stderr: -v for xapi''s steps, -vv adds the AWS SDK''s own logs')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Show the account, caller ARN and region of each configured side (STS GetCallerIdentity)')
            [CompletionResult]::new('endpoint', 'endpoint', [CompletionResultType]::ParameterValue, 'Create and inspect execute-api interface VPC endpoints')
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
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
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
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
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
            [CompletionResult]::new('--subnet-id', '--subnet-id', [CompletionResultType]::ParameterName, 'Subnet for one of the endpoint''s network interfaces (one per Availability Zone)')
            [CompletionResult]::new('--security-group-id', '--security-group-id', [CompletionResultType]::ParameterName, 'Security group for the endpoint''s network interfaces (default: the VPC''s default group)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Tag to put on a new endpoint, KEY=VALUE (repeatable)')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long to wait for the endpoint to become available, in seconds')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
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
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
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
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
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
        'xapi;completions' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile''s region)')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Assume this IAM role for the command''s account, on top of the base credentials')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
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
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: auto is a table on a terminal and JSON otherwise')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto honours NO_COLOR and colours only a terminal')
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
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Show the account, caller ARN and region of each configured side (STS GetCallerIdentity)')
            [CompletionResult]::new('endpoint', 'endpoint', [CompletionResultType]::ParameterValue, 'Create and inspect execute-api interface VPC endpoints')
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
