# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_xapi_global_optspecs
    string join \n profile= region= endpoint-url= role-arn= output= no-progress color= v/verbose connect-timeout= read-timeout= h/help V/version
end

function __fish_xapi_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_xapi_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_xapi_using_subcommand
    set -l cmd (__fish_xapi_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c xapi -n "__fish_xapi_needs_command" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_needs_command" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_needs_command" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_needs_command" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_needs_command" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_needs_command" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_needs_command" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_needs_command" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_needs_command" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_needs_command" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_needs_command" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_needs_command" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_needs_command" -f -a "whoami" -d 'Show the account, caller ARN and region of each configured side (STS GetCallerIdentity; with --role-arn, the AssumeRole answer)'
complete -c xapi -n "__fish_xapi_needs_command" -f -a "endpoint" -d 'Create and inspect execute-api interface VPC endpoints'
complete -c xapi -n "__fish_xapi_needs_command" -f -a "policy" -d 'Show and restore a private API\'s resource policy'
complete -c xapi -n "__fish_xapi_needs_command" -f -a "grant-vpce" -d 'Let VPC endpoints call a private API: edit its resource policy, then redeploy'
complete -c xapi -n "__fish_xapi_needs_command" -f -a "revoke-vpce" -d 'Take VPC endpoints\' access away again: edit the resource policy, then redeploy'
complete -c xapi -n "__fish_xapi_needs_command" -f -a "targets" -d 'Reconcile NLB IP targets with a VPC endpoint\'s interface addresses'
complete -c xapi -n "__fish_xapi_needs_command" -f -a "vpc-link" -d 'Create and list REST API VPC links'
complete -c xapi -n "__fish_xapi_needs_command" -f -a "wire-regional-front" -d 'Pattern 1 in one command: NLB, targets, VPC link and a Regional API in front of a private API'
complete -c xapi -n "__fish_xapi_needs_command" -f -a "domain" -d 'Pattern 4: private custom domain names for private APIs'
complete -c xapi -n "__fish_xapi_needs_command" -f -a "doctor" -d 'Walk a chain end to end and say exactly what is broken and how to fix it'
complete -c xapi -n "__fish_xapi_needs_command" -f -a "mtls" -d 'Pattern 3: an NGINX proxy that requires client certificates in front of a private API, on ECS Fargate behind an internal NLB, offered to consumers as a VPC endpoint service'
complete -c xapi -n "__fish_xapi_needs_command" -f -a "teardown" -d 'Delete what xapi created for a stack (only what carries its xapi:stack tag)'
complete -c xapi -n "__fish_xapi_needs_command" -f -a "audit" -d 'Every private API across accounts and regions: who can reach it, and what is wrong'
complete -c xapi -n "__fish_xapi_needs_command" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c xapi -n "__fish_xapi_needs_command" -f -a "man" -d 'Print the xapi(1) man page (roff) to stdout'
complete -c xapi -n "__fish_xapi_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c xapi -n "__fish_xapi_using_subcommand whoami" -l producer-profile -d 'Profile for the producer account' -r
complete -c xapi -n "__fish_xapi_using_subcommand whoami" -l producer-role-arn -d 'Role to assume in the producer account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand whoami" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand whoami" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand whoami" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand whoami" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand whoami" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand whoami" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand whoami" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand whoami" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand whoami" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand whoami" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand whoami" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand whoami" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and not __fish_seen_subcommand_from create list show help" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and not __fish_seen_subcommand_from create list show help" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and not __fish_seen_subcommand_from create list show help" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and not __fish_seen_subcommand_from create list show help" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and not __fish_seen_subcommand_from create list show help" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and not __fish_seen_subcommand_from create list show help" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and not __fish_seen_subcommand_from create list show help" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and not __fish_seen_subcommand_from create list show help" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and not __fish_seen_subcommand_from create list show help" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and not __fish_seen_subcommand_from create list show help" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and not __fish_seen_subcommand_from create list show help" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and not __fish_seen_subcommand_from create list show help" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and not __fish_seen_subcommand_from create list show help" -f -a "create" -d 'Create an interface endpoint for execute-api in a VPC, or reuse the one it has'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and not __fish_seen_subcommand_from create list show help" -f -a "list" -d 'List execute-api interface endpoints'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and not __fish_seen_subcommand_from create list show help" -f -a "show" -d 'Show one endpoint: DNS, security groups, policy and network interfaces'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and not __fish_seen_subcommand_from create list show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from create" -l vpc-id -d 'VPC to put the endpoint in' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from create" -l service-name -d 'Endpoint service to connect to, e.g. an mTLS proxy\'s com.amazonaws.vpce.<region>.vpce-svc-... (default: execute-api; private DNS then defaults to off)' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from create" -l subnet-id -d 'Subnet for one of the endpoint\'s network interfaces (one per Availability Zone)' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from create" -l security-group-id -d 'Security group for the endpoint\'s network interfaces (default: the VPC\'s default group)' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from create" -l tag -d 'Tag to put on a new endpoint, KEY=VALUE (repeatable)' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from create" -l wait-timeout -d 'How long to wait for the endpoint to become available (e.g. 90s, 10m; a bare number counts as seconds)' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from create" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from create" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from create" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from create" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from create" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from create" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from create" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from create" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from create" -l private-dns -d 'Enable private DNS, so https://{api-id}.execute-api.{region}.amazonaws.com resolves to the endpoint (default)'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from create" -l no-private-dns -d 'Disable private DNS; callers then use https://{api-id}-{vpce-id}.execute-api.{region}.amazonaws.com'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from create" -l dry-run -d 'Print the plan and change nothing'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from create" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from create" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from list" -l vpc-id -d 'Only endpoints in this VPC' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from list" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from list" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from list" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from list" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from list" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from list" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from list" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from list" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from list" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from show" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from show" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from show" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from show" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from show" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from show" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from show" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from show" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from show" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create an interface endpoint for execute-api in a VPC, or reuse the one it has'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from help" -f -a "list" -d 'List execute-api interface endpoints'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one endpoint: DNS, security groups, policy and network interfaces'
complete -c xapi -n "__fish_xapi_using_subcommand endpoint; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c xapi -n "__fish_xapi_using_subcommand policy; and not __fish_seen_subcommand_from show restore help" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand policy; and not __fish_seen_subcommand_from show restore help" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand policy; and not __fish_seen_subcommand_from show restore help" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand policy; and not __fish_seen_subcommand_from show restore help" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand policy; and not __fish_seen_subcommand_from show restore help" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand policy; and not __fish_seen_subcommand_from show restore help" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand policy; and not __fish_seen_subcommand_from show restore help" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand policy; and not __fish_seen_subcommand_from show restore help" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand policy; and not __fish_seen_subcommand_from show restore help" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand policy; and not __fish_seen_subcommand_from show restore help" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand policy; and not __fish_seen_subcommand_from show restore help" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand policy; and not __fish_seen_subcommand_from show restore help" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand policy; and not __fish_seen_subcommand_from show restore help" -f -a "show" -d 'The policy, pretty-printed, and who it admits (by evaluating it)'
complete -c xapi -n "__fish_xapi_using_subcommand policy; and not __fish_seen_subcommand_from show restore help" -f -a "restore" -d 'Put back a policy saved before an earlier write, then redeploy'
complete -c xapi -n "__fish_xapi_using_subcommand policy; and not __fish_seen_subcommand_from show restore help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from show" -l api-id -d 'The private REST API\'s id' -r
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from show" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from show" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from show" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from show" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from show" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from show" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from show" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from show" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from show" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from restore" -l api-id -d 'The private REST API\'s id' -r
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from restore" -l from -d 'Backup file to restore (default: the newest backup of this API)' -r -F
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from restore" -l lease-wait -d 'How long to wait for another xapi process\'s write lease on this API before giving up (exit 3), e.g. 30s, 5m' -r
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from restore" -l stage -d 'Stage to redeploy so the change takes effect (repeatable; default: every stage of the API that has a deployment)' -r
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from restore" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from restore" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from restore" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from restore" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from restore" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from restore" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from restore" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from restore" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from restore" -l dry-run -d 'Print the plan and the policy diff, and change nothing'
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from restore" -l yes -d 'Redeploy stages whose deployment differs from the draft without asking, publishing those draft changes too (required when not on a terminal)'
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from restore" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from restore" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from restore" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from restore" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "show" -d 'The policy, pretty-printed, and who it admits (by evaluating it)'
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "restore" -d 'Put back a policy saved before an earlier write, then redeploy'
complete -c xapi -n "__fish_xapi_using_subcommand policy; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c xapi -n "__fish_xapi_using_subcommand grant-vpce" -l api-id -d 'The private REST API\'s id (in the account of --profile / --role-arn)' -r
complete -c xapi -n "__fish_xapi_using_subcommand grant-vpce" -l domain -d 'A private custom domain name instead, by its ARN with the domainNameId: its policy, then each mapped API\'s policy on the mapped stages only' -r
complete -c xapi -n "__fish_xapi_using_subcommand grant-vpce" -l vpce -d 'VPC endpoint to admit (repeatable)' -r
complete -c xapi -n "__fish_xapi_using_subcommand grant-vpce" -l like -d 'Admit the endpoints exactly like this one, which the policy must already admit (default: the admitted endpoint needing the smallest edit)' -r
complete -c xapi -n "__fish_xapi_using_subcommand grant-vpce" -l resource -d 'When the policy admits no endpoint at all, the new Allow admits the endpoints on these resources only, e.g. execute-api:/prod/GET/* (repeatable; default: execute-api:/*)' -r
complete -c xapi -n "__fish_xapi_using_subcommand grant-vpce" -l lease-wait -d 'How long to wait for another xapi process\'s write lease on this API before giving up (exit 3), e.g. 30s, 5m' -r
complete -c xapi -n "__fish_xapi_using_subcommand grant-vpce" -l stage -d 'Stage to redeploy so the change takes effect (repeatable; default: every stage of the API that has a deployment)' -r
complete -c xapi -n "__fish_xapi_using_subcommand grant-vpce" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand grant-vpce" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand grant-vpce" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand grant-vpce" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand grant-vpce" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand grant-vpce" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand grant-vpce" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand grant-vpce" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand grant-vpce" -l associate -d 'Also associate the endpoints with the API, for https://{api-id}-{vpce-id}.execute-api.{region}.amazonaws.com URLs'
complete -c xapi -n "__fish_xapi_using_subcommand grant-vpce" -l dry-run -d 'Print the plan and the policy diff, and change nothing'
complete -c xapi -n "__fish_xapi_using_subcommand grant-vpce" -l yes -d 'Redeploy stages whose deployment differs from the draft without asking, publishing those draft changes too (required when not on a terminal)'
complete -c xapi -n "__fish_xapi_using_subcommand grant-vpce" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand grant-vpce" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand grant-vpce" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand grant-vpce" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand revoke-vpce" -l api-id -d 'The private REST API\'s id (in the account of --profile / --role-arn)' -r
complete -c xapi -n "__fish_xapi_using_subcommand revoke-vpce" -l domain -d 'A private custom domain name instead, by its ARN with the domainNameId: reject the endpoints\' access associations, then remove them from the domain policy' -r
complete -c xapi -n "__fish_xapi_using_subcommand revoke-vpce" -l vpce -d 'VPC endpoint to remove (repeatable)' -r
complete -c xapi -n "__fish_xapi_using_subcommand revoke-vpce" -l lease-wait -d 'How long to wait for another xapi process\'s write lease on this API before giving up (exit 3), e.g. 30s, 5m' -r
complete -c xapi -n "__fish_xapi_using_subcommand revoke-vpce" -l stage -d 'Stage to redeploy so the change takes effect (repeatable; default: every stage of the API that has a deployment)' -r
complete -c xapi -n "__fish_xapi_using_subcommand revoke-vpce" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand revoke-vpce" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand revoke-vpce" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand revoke-vpce" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand revoke-vpce" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand revoke-vpce" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand revoke-vpce" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand revoke-vpce" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand revoke-vpce" -l also-apis -d 'With --domain: also remove the endpoints from each mapped API\'s policy (on the mapped stages); without it, their direct grants on the APIs stay'
complete -c xapi -n "__fish_xapi_using_subcommand revoke-vpce" -l disassociate -d 'Also remove the endpoints\' association with the API'
complete -c xapi -n "__fish_xapi_using_subcommand revoke-vpce" -l dry-run -d 'Print the plan and the policy diff, and change nothing'
complete -c xapi -n "__fish_xapi_using_subcommand revoke-vpce" -l yes -d 'Redeploy stages whose deployment differs from the draft without asking, publishing those draft changes too (required when not on a terminal)'
complete -c xapi -n "__fish_xapi_using_subcommand revoke-vpce" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand revoke-vpce" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand revoke-vpce" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand revoke-vpce" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand targets; and not __fish_seen_subcommand_from sync help" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand targets; and not __fish_seen_subcommand_from sync help" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand targets; and not __fish_seen_subcommand_from sync help" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand targets; and not __fish_seen_subcommand_from sync help" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand targets; and not __fish_seen_subcommand_from sync help" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand targets; and not __fish_seen_subcommand_from sync help" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand targets; and not __fish_seen_subcommand_from sync help" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand targets; and not __fish_seen_subcommand_from sync help" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand targets; and not __fish_seen_subcommand_from sync help" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand targets; and not __fish_seen_subcommand_from sync help" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand targets; and not __fish_seen_subcommand_from sync help" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand targets; and not __fish_seen_subcommand_from sync help" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand targets; and not __fish_seen_subcommand_from sync help" -f -a "sync" -d 'Make an IP target group\'s targets equal the endpoint\'s current interface IPs on port 443'
complete -c xapi -n "__fish_xapi_using_subcommand targets; and not __fish_seen_subcommand_from sync help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c xapi -n "__fish_xapi_using_subcommand targets; and __fish_seen_subcommand_from sync" -l vpce -d 'The execute-api endpoint whose interface addresses are the targets' -r
complete -c xapi -n "__fish_xapi_using_subcommand targets; and __fish_seen_subcommand_from sync" -l target-group-arn -d 'The target group, by ARN' -r
complete -c xapi -n "__fish_xapi_using_subcommand targets; and __fish_seen_subcommand_from sync" -l target-group -d 'The target group, by name' -r
complete -c xapi -n "__fish_xapi_using_subcommand targets; and __fish_seen_subcommand_from sync" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand targets; and __fish_seen_subcommand_from sync" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand targets; and __fish_seen_subcommand_from sync" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand targets; and __fish_seen_subcommand_from sync" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand targets; and __fish_seen_subcommand_from sync" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand targets; and __fish_seen_subcommand_from sync" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand targets; and __fish_seen_subcommand_from sync" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand targets; and __fish_seen_subcommand_from sync" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand targets; and __fish_seen_subcommand_from sync" -l prune -d 'Deregister targets that are not current interface addresses (otherwise they are listed as stale)'
complete -c xapi -n "__fish_xapi_using_subcommand targets; and __fish_seen_subcommand_from sync" -l dry-run -d 'Print the plan and change nothing'
complete -c xapi -n "__fish_xapi_using_subcommand targets; and __fish_seen_subcommand_from sync" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand targets; and __fish_seen_subcommand_from sync" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand targets; and __fish_seen_subcommand_from sync" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand targets; and __fish_seen_subcommand_from sync" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand targets; and __fish_seen_subcommand_from help" -f -a "sync" -d 'Make an IP target group\'s targets equal the endpoint\'s current interface IPs on port 443'
complete -c xapi -n "__fish_xapi_using_subcommand targets; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and not __fish_seen_subcommand_from create list help" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and not __fish_seen_subcommand_from create list help" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and not __fish_seen_subcommand_from create list help" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and not __fish_seen_subcommand_from create list help" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and not __fish_seen_subcommand_from create list help" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and not __fish_seen_subcommand_from create list help" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and not __fish_seen_subcommand_from create list help" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and not __fish_seen_subcommand_from create list help" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and not __fish_seen_subcommand_from create list help" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and not __fish_seen_subcommand_from create list help" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and not __fish_seen_subcommand_from create list help" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and not __fish_seen_subcommand_from create list help" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and not __fish_seen_subcommand_from create list help" -f -a "create" -d 'Create a REST API VPC link: v1 to a network load balancer (reusing the one that targets it), or with --v2 in subnets (reusing the one of that name)'
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and not __fish_seen_subcommand_from create list help" -f -a "list" -d 'List REST API VPC links, v1 and v2, with their status and targets or subnets'
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and not __fish_seen_subcommand_from create list help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from create" -l nlb -d 'The network load balancer of a v1 link, by ARN or name' -r
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from create" -l name -d 'Name for a new link (v2: also its xapi:stack tag, so `xapi teardown --stack NAME` deletes it and the group made for it)' -r
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from create" -l subnet-id -d 'Subnet for a v2 link\'s interfaces (repeatable, one VPC, at most 10; the link cannot change later)' -r
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from create" -l security-group-id -d 'Security group for a v2 link\'s interfaces (repeatable) [default: a new group NAME-link letting only TCP 443 out, to the VPC\'s ranges]' -r
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from create" -l wait-timeout -d 'How long to wait for the link to become AVAILABLE (e.g. 90s, 15m)' -r
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from create" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from create" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from create" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from create" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from create" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from create" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from create" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from create" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from create" -l v2 -d 'A VPC link v2 (apigatewayv2): interfaces in --subnet-id, bound to no load balancer; each integration names its own'
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from create" -l dry-run -d 'Print the plan and change nothing'
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from create" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from create" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from list" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from list" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from list" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from list" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from list" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from list" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from list" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from list" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from list" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a REST API VPC link: v1 to a network load balancer (reusing the one that targets it), or with --v2 in subnets (reusing the one of that name)'
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from help" -f -a "list" -d 'List REST API VPC links, v1 and v2, with their status and targets or subnets'
complete -c xapi -n "__fish_xapi_using_subcommand vpc-link; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l private-api-id -d 'The private REST API (in the producer account)' -r
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l stage -d 'The private API\'s stage the front door forwards to' -r
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l vpce -d 'The consumer\'s execute-api endpoint whose interface addresses the NLB targets' -r
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l subnet-id -d 'Subnet for the internal NLB (repeatable; in the endpoint\'s VPC)' -r
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l name -d 'Stack name: tags every resource (xapi:stack=NAME) and prefixes their names [default: front-<private-api-id>]' -r
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l front-api-id -d 'Use this existing Regional API as the front door' -r
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l front-api-name -d 'Name of the front-door Regional API to find or create [default: the stack name]' -r
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l front-stage -d 'Stage of the front-door API [default: the private API\'s stage]' -r
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l producer-profile -d 'Profile for the producer account' -r
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l producer-role-arn -d 'Role to assume in the producer account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l wait-timeout -d 'How long to wait for the NLB to become active and the VPC link available' -r
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l authorization -d 'Authorization on the front\'s ANY / and ANY /{proxy+}: iam requires SigV4-signed callers allowed execute-api:Invoke (default: keep what is there; new fronts get none)' -r -f -a "none\t'No authorization: anyone who reaches the front may call it'
iam\t'AWS_IAM: callers sign requests with SigV4'"
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l allow-cidr -d 'Admit only these source ranges, through a resource policy on the front (repeatable)' -r
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l vpc-link -d 'Kind of VPC link: v2 (apigatewayv2, the integration names the NLB) or v1 (bound to the NLB) [default: v2 for a new stack; an existing stack keeps its kind]' -r -f -a "v1\t'apigateway VPC link bound to one network load balancer'
v2\t'apigatewayv2 VPC link: interfaces in the stack\'s subnets, under its own security group'"
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l fix-security-group -d 'Add the missing TCP 443 rule to the endpoint\'s security group instead of warning'
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l dry-run -d 'Print the plan and change nothing'
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l yes -d 'Redeploy the private API\'s stage even when its deployment differs from the draft, publishing those draft changes too (required when not on a terminal)'
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l allow-public -d 'Accept --allow-cidr ranges wider than /8 (0.0.0.0/0, ::/0, ...), which admit a large part of the internet; refused without it'
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l migrate-to-v2 -d 'Move a stack on a v1 link to a v2 link: create it, point both integrations at it, redeploy, and only then delete the v1 link (a failure leaves the front on v1; re-run)'
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c xapi -n "__fish_xapi_using_subcommand wire-regional-front" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and not __fish_seen_subcommand_from create show associate share unshare help" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and not __fish_seen_subcommand_from create show associate share unshare help" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and not __fish_seen_subcommand_from create show associate share unshare help" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and not __fish_seen_subcommand_from create show associate share unshare help" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and not __fish_seen_subcommand_from create show associate share unshare help" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand domain; and not __fish_seen_subcommand_from create show associate share unshare help" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand domain; and not __fish_seen_subcommand_from create show associate share unshare help" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and not __fish_seen_subcommand_from create show associate share unshare help" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and not __fish_seen_subcommand_from create show associate share unshare help" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and not __fish_seen_subcommand_from create show associate share unshare help" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and not __fish_seen_subcommand_from create show associate share unshare help" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and not __fish_seen_subcommand_from create show associate share unshare help" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and not __fish_seen_subcommand_from create show associate share unshare help" -f -a "create" -d 'Create a private custom domain name (or reuse the stack\'s), wait until it is AVAILABLE, admit endpoints in its policy and map a private API\'s stage to it'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and not __fish_seen_subcommand_from create show associate share unshare help" -f -a "show" -d 'A domain\'s status, certificate, mappings and which endpoints its policy admits'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and not __fish_seen_subcommand_from create show associate share unshare help" -f -a "associate" -d 'Consumer side: associate a VPC endpoint with a domain another account shares (accepting its AWS RAM invitation when asked) and, with --dns, give the endpoint\'s VPC a private hosted zone for the name'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and not __fish_seen_subcommand_from create show associate share unshare help" -f -a "share" -d 'Producer side: share a private domain with accounts or an organization through AWS RAM (one share per stack), waiting until each principal is associated'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and not __fish_seen_subcommand_from create show associate share unshare help" -f -a "unshare" -d 'Producer side: stop sharing with accounts, in AWS\'s order: remove them from the share, reject their access associations, remove their endpoints from the domain policy'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and not __fish_seen_subcommand_from create show associate share unshare help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from create" -l name -d 'The domain name, e.g. private.example.com (no wildcard)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from create" -l certificate-arn -d 'ACM certificate covering the name, in the domain\'s Region (RSA 2048, ECDSA P-256 or P-384)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from create" -l stack -d 'Stack name: the domain\'s xapi:stack tag, by which it is reused and torn down [default: the domain name with dots as hyphens, cut to 28 characters]' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from create" -l allow-vpce -d 'VPC endpoint the domain policy admits (repeatable); the mapped API\'s own policy must admit it too (`xapi grant-vpce`)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from create" -l api-id -d 'Private REST API to map to the domain' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from create" -l stage -d 'The API\'s stage to map' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from create" -l base-path -d 'Base path (one level) under which the stage is served [default: none, the root]' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from create" -l wait-timeout -d 'How long to wait for the domain to become AVAILABLE (about 15 minutes on AWS)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from create" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from create" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from create" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from create" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from create" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from create" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from create" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from create" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from create" -l dry-run -d 'Print the plan and change nothing'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from create" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from create" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from show" -l domain -d 'The domain\'s ARN, with its domainNameId (arn:aws:apigateway:REGION:ACCOUNT:/domainnames/NAME+ID)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from show" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from show" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from show" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from show" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from show" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from show" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from show" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from show" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from show" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from associate" -l domain -d 'The shared domain\'s ARN, with its domainNameId (arn:aws:apigateway:REGION:ACCOUNT:/domainnames/NAME+ID)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from associate" -l vpce -d 'This account\'s execute-api endpoint to reach the domain through' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from associate" -l stack -d 'Stack name: the xapi:stack tag of what this makes [default: the domain name with dots as hyphens, cut to 28 characters]' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from associate" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from associate" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from associate" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from associate" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from associate" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from associate" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from associate" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from associate" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from associate" -l accept-invitation -d 'Accept the domain owner\'s pending AWS RAM invitation (AWS keeps it open for 12 hours)'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from associate" -l dns -d 'Also create (or reuse) a private hosted zone for the name, attached to the endpoint\'s VPC, with alias records to the endpoint\'s Regional DNS name (A, and AAAA when dualstack)'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from associate" -l dry-run -d 'Print the plan and change nothing'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from associate" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from associate" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from associate" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from associate" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from share" -l domain -d 'The domain\'s ARN, with its domainNameId (arn:aws:apigateway:REGION:ACCOUNT:/domainnames/NAME+ID)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from share" -l account -d 'Consumer account to share with (repeatable); outside the organization it gets an invitation to accept within 12 hours' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from share" -l org-arn -d 'Organization or organizational unit to share with (repeatable), e.g. arn:aws:organizations::111111111111:organization/o-abc123' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from share" -l stack -d 'Stack name: the share is xapi-STACK-domain [default: the domain\'s xapi:stack tag, else its name with dots as hyphens]' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from share" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from share" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from share" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from share" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from share" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from share" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from share" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from share" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from share" -l dry-run -d 'Print the plan and change nothing'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from share" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from share" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from share" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from share" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from unshare" -l domain -d 'The domain\'s ARN, with its domainNameId (arn:aws:apigateway:REGION:ACCOUNT:/domainnames/NAME+ID)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from unshare" -l account -d 'Consumer account to stop sharing with (repeatable)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from unshare" -l stack -d 'Stack name: the share is xapi-STACK-domain [default: the domain\'s xapi:stack tag, else its name with dots as hyphens]' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from unshare" -l lease-wait -d 'How long to wait for another xapi process\'s write lease on the domain policy before giving up (exit 3), e.g. 30s, 5m' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from unshare" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from unshare" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from unshare" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from unshare" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from unshare" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from unshare" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from unshare" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from unshare" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from unshare" -l dry-run -d 'Print the plan and change nothing'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from unshare" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from unshare" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from unshare" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from unshare" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a private custom domain name (or reuse the stack\'s), wait until it is AVAILABLE, admit endpoints in its policy and map a private API\'s stage to it'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "show" -d 'A domain\'s status, certificate, mappings and which endpoints its policy admits'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "associate" -d 'Consumer side: associate a VPC endpoint with a domain another account shares (accepting its AWS RAM invitation when asked) and, with --dns, give the endpoint\'s VPC a private hosted zone for the name'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "share" -d 'Producer side: share a private domain with accounts or an organization through AWS RAM (one share per stack), waiting until each principal is associated'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "unshare" -d 'Producer side: stop sharing with accounts, in AWS\'s order: remove them from the share, reject their access associations, remove their endpoints from the domain policy'
complete -c xapi -n "__fish_xapi_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c xapi -n "__fish_xapi_using_subcommand doctor" -l api-id -d 'The private REST API (found from the front API\'s integration when not given)' -r
complete -c xapi -n "__fish_xapi_using_subcommand doctor" -l stage -d 'Only check this stage of the private API' -r
complete -c xapi -n "__fish_xapi_using_subcommand doctor" -l vpce -d 'The consumer\'s execute-api endpoint (found from the NLB\'s targets when not given)' -r
complete -c xapi -n "__fish_xapi_using_subcommand doctor" -l front-api-id -d 'The Regional front-door API (pattern 1)' -r
complete -c xapi -n "__fish_xapi_using_subcommand doctor" -l target-group-arn -d 'The NLB\'s target group (found from the VPC link\'s NLB when not given)' -r
complete -c xapi -n "__fish_xapi_using_subcommand doctor" -l vpc-link-id -d 'The VPC link (found from the front API\'s integration when not given)' -r
complete -c xapi -n "__fish_xapi_using_subcommand doctor" -l lambda -d 'A VPC-attached Lambda function that calls the private API (pattern 2)' -r
complete -c xapi -n "__fish_xapi_using_subcommand doctor" -l producer-profile -d 'Profile for the producer account' -r
complete -c xapi -n "__fish_xapi_using_subcommand doctor" -l producer-role-arn -d 'Role to assume in the producer account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand doctor" -l snapshot-out -d 'Also write the evidence (everything read) to FILE, for support tickets' -r -F
complete -c xapi -n "__fish_xapi_using_subcommand doctor" -l from-snapshot -d 'Re-run the checks on saved evidence, with no AWS call at all' -r -F
complete -c xapi -n "__fish_xapi_using_subcommand doctor" -l mtls -d 'An mTLS stack (pattern 3) made by `xapi mtls deploy`, read with the producer\'s credentials; with --vpce, also the consumer\'s endpoint to it (consumer credentials, the producer\'s with --producer-*)' -r
complete -c xapi -n "__fish_xapi_using_subcommand doctor" -l domain -d 'A private custom domain name (pattern 4), by its ARN with the domainNameId, read with the producer\'s credentials (the base ones, or --producer-*); with --vpce, whether its policy and each mapped API\'s policy admit that endpoint' -r
complete -c xapi -n "__fish_xapi_using_subcommand doctor" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand doctor" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand doctor" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand doctor" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand doctor" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand doctor" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand doctor" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand doctor" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand doctor" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand doctor" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and not __fish_seen_subcommand_from certs render deploy allow show accept revoke-client help" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and not __fish_seen_subcommand_from certs render deploy allow show accept revoke-client help" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and not __fish_seen_subcommand_from certs render deploy allow show accept revoke-client help" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and not __fish_seen_subcommand_from certs render deploy allow show accept revoke-client help" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and not __fish_seen_subcommand_from certs render deploy allow show accept revoke-client help" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and not __fish_seen_subcommand_from certs render deploy allow show accept revoke-client help" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and not __fish_seen_subcommand_from certs render deploy allow show accept revoke-client help" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and not __fish_seen_subcommand_from certs render deploy allow show accept revoke-client help" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and not __fish_seen_subcommand_from certs render deploy allow show accept revoke-client help" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and not __fish_seen_subcommand_from certs render deploy allow show accept revoke-client help" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and not __fish_seen_subcommand_from certs render deploy allow show accept revoke-client help" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and not __fish_seen_subcommand_from certs render deploy allow show accept revoke-client help" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and not __fish_seen_subcommand_from certs render deploy allow show accept revoke-client help" -f -a "certs" -d 'Issue a CA (or use yours), the proxy\'s server certificate and client certificates (ECDSA P-256)'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and not __fish_seen_subcommand_from certs render deploy allow show accept revoke-client help" -f -a "render" -d 'Write the proxy\'s nginx.conf and Dockerfile for a private API and stage'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and not __fish_seen_subcommand_from certs render deploy allow show accept revoke-client help" -f -a "deploy" -d 'Run the proxy on ECS Fargate behind an internal NLB offered as a VPC endpoint service (producer account)'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and not __fish_seen_subcommand_from certs render deploy allow show accept revoke-client help" -f -a "allow" -d 'Add an account as an allowed principal of the stack\'s endpoint service, or with --revoke remove every principal of it'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and not __fish_seen_subcommand_from certs render deploy allow show accept revoke-client help" -f -a "show" -d 'The stack\'s endpoint service, allowed principals, target health and task counts'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and not __fish_seen_subcommand_from certs render deploy allow show accept revoke-client help" -f -a "accept" -d 'Accept consumers\' endpoint connections that wait for acceptance, from allowed accounts only'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and not __fish_seen_subcommand_from certs render deploy allow show accept revoke-client help" -f -a "revoke-client" -d 'Revoke one client certificate: add it to the CA\'s CRL (DIR/crl.pem) that the proxy enforces'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and not __fish_seen_subcommand_from certs render deploy allow show accept revoke-client help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from certs" -l out -d 'Directory to write the PEM files into (created with mode 0700)' -r -F
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from certs" -l server-name -d 'DNS name consumers use to reach the proxy (the server certificate\'s SAN)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from certs" -l client -d 'Issue a client certificate with this common name (repeatable)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from certs" -l ca-cert -d 'Sign with this CA certificate instead of generating a CA' -r -F
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from certs" -l ca-key -d 'The CA\'s private key (unencrypted PKCS#8 PEM)' -r -F
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from certs" -l days -d 'Validity of every issued certificate, in days (1-3650)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from certs" -l chain-crl -d 'Current CRLs (PEM) of the CAs above a supplied issuing CA; NGINX checks one for each' -r -F
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from certs" -l refresh-chain-crl -d 'Replace the CRLs of the CAs above the issuing CA in DIR/crl.pem with these (PEM), issuing and re-keying nothing' -r -F
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from certs" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from certs" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from certs" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from certs" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from certs" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from certs" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from certs" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from certs" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from certs" -l force -d 'Replace existing files (never a generated CA\'s ca.key: see --rotate-ca)'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from certs" -l rotate-ca -d 'With --force: replace the CA whose key is DIR/ca.key, invalidating every certificate it issued (the old key is kept as ca.key.retired-TIME)'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from certs" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from certs" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from certs" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from certs" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from render" -l api-id -d 'The private REST API\'s id' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from render" -l stage -d 'Stage the proxy forwards to' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from render" -l server-name -d 'NGINX server_name for the TLS server (default: any name)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from render" -l out -d 'Directory to write nginx.conf and Dockerfile into' -r -F
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from render" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from render" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from render" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from render" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from render" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from render" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from render" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from render" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from render" -l force -d 'Replace existing files'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from render" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from render" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from render" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from render" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from deploy" -l name -d 'Stack name: tags every resource (xapi:stack=NAME) and prefixes their names' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from deploy" -l vpc-id -d 'VPC to run the proxy in (it needs an execute-api endpoint with private DNS)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from deploy" -l subnet-id -d 'Subnet for the proxy tasks and the load balancer (repeatable; one per Availability Zone)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from deploy" -l certs -d 'The proxy image built from `xapi mtls render`\'s Dockerfile Directory with server.pem, server.key and ca.pem (as `xapi mtls certs` writes them): stored as the Secrets Manager secret xapi/mtls/NAME and injected into the task at start; ca.key is never read' -r -F
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from deploy" -l image -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from deploy" -l allow-account -d 'Account to admit as an allowed principal of the endpoint service (repeatable)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from deploy" -l execution-role-arn -d 'Task execution role, for pulling the image and writing logs (default: this account\'s ecsTaskExecutionRole)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from deploy" -l desired-count -d 'Number of proxy tasks to keep running' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from deploy" -l wait-timeout -d 'How long to wait for the load balancer to become active' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from deploy" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from deploy" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from deploy" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from deploy" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from deploy" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from deploy" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from deploy" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from deploy" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from deploy" -l dry-run -d 'Print the plan and change nothing'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from deploy" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from deploy" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from deploy" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from deploy" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from allow" -l name -d 'The stack `xapi mtls deploy` created' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from allow" -l account -d 'Account to admit (its arn:aws:iam::ACCOUNT:root principal)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from allow" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from allow" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from allow" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from allow" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from allow" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from allow" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from allow" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from allow" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from allow" -l revoke -d 'Remove every principal of the account instead (root, roles, users) and reject its connections; exit 5 if a * still admits it'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from allow" -l dry-run -d 'Print the plan and change nothing'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from allow" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from allow" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from allow" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from allow" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from show" -l name -d 'The stack `xapi mtls deploy` created' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from show" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from show" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from show" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from show" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from show" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from show" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from show" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from show" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from show" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from accept" -l name -d 'The stack (as given to `xapi mtls deploy --name`)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from accept" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from accept" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from accept" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from accept" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from accept" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from accept" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from accept" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from accept" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from accept" -l dry-run -d 'Print what would be accepted and change nothing'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from accept" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from accept" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from accept" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from accept" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from revoke-client" -l certs -d 'Directory `xapi mtls certs` wrote (ca.pem, crl.pem, client-NAME.pem)' -r -F
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from revoke-client" -l client -d 'Revoke client-NAME.pem from DIR' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from revoke-client" -l serial -d 'Revoke the certificate with this serial number (hex)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from revoke-client" -l ca-key -d 'The CA\'s private key, when the CA was supplied (a generated CA\'s key is DIR/ca.key)' -r -F
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from revoke-client" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from revoke-client" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from revoke-client" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from revoke-client" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from revoke-client" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from revoke-client" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from revoke-client" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from revoke-client" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from revoke-client" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from revoke-client" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from revoke-client" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from revoke-client" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from help" -f -a "certs" -d 'Issue a CA (or use yours), the proxy\'s server certificate and client certificates (ECDSA P-256)'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from help" -f -a "render" -d 'Write the proxy\'s nginx.conf and Dockerfile for a private API and stage'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from help" -f -a "deploy" -d 'Run the proxy on ECS Fargate behind an internal NLB offered as a VPC endpoint service (producer account)'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from help" -f -a "allow" -d 'Add an account as an allowed principal of the stack\'s endpoint service, or with --revoke remove every principal of it'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from help" -f -a "show" -d 'The stack\'s endpoint service, allowed principals, target health and task counts'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from help" -f -a "accept" -d 'Accept consumers\' endpoint connections that wait for acceptance, from allowed accounts only'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from help" -f -a "revoke-client" -d 'Revoke one client certificate: add it to the CA\'s CRL (DIR/crl.pem) that the proxy enforces'
complete -c xapi -n "__fish_xapi_using_subcommand mtls; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c xapi -n "__fish_xapi_using_subcommand teardown" -l stack -d 'The stack whose resources to delete' -r
complete -c xapi -n "__fish_xapi_using_subcommand teardown" -l stack-id -d 'Which stack of that name (its xapi:stack-id, as deploys report it); needed only when two stacks share the name' -r
complete -c xapi -n "__fish_xapi_using_subcommand teardown" -l wait-timeout -d 'How long to wait for each deletion AWS finishes in the background' -r
complete -c xapi -n "__fish_xapi_using_subcommand teardown" -l recovery-days -d 'Days Secrets Manager keeps a deleted secret restorable (7-30)' -r
complete -c xapi -n "__fish_xapi_using_subcommand teardown" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand teardown" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand teardown" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand teardown" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand teardown" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand teardown" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand teardown" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand teardown" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand teardown" -l dry-run -d 'Print what would be deleted and delete nothing'
complete -c xapi -n "__fish_xapi_using_subcommand teardown" -l yes -d 'Delete without asking (required when not on a terminal)'
complete -c xapi -n "__fish_xapi_using_subcommand teardown" -l force-delete-secrets -d 'Delete the stack\'s secrets at once, with no recovery window'
complete -c xapi -n "__fish_xapi_using_subcommand teardown" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand teardown" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand teardown" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand teardown" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand audit" -l account -d 'Scan these accounts (assuming --role-name in each) instead of the current one' -r
complete -c xapi -n "__fish_xapi_using_subcommand audit" -l exclude-account -d 'Leave these accounts out of an --org scan' -r
complete -c xapi -n "__fish_xapi_using_subcommand audit" -l role-name -d 'The role to assume in each scanned account: arn:aws:iam::<ID>:role/<NAME>' -r
complete -c xapi -n "__fish_xapi_using_subcommand audit" -l regions -d 'Scan these regions (default: the command\'s region, see --region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand audit" -l max-concurrency -d 'Requests in flight at once per account and region' -r
complete -c xapi -n "__fish_xapi_using_subcommand audit" -l fail-on -d 'Exit 1 when a finding is at or above this severity' -r -f -a "high\t''
medium\t''
low\t''"
complete -c xapi -n "__fish_xapi_using_subcommand audit" -l graph -d 'Also write the access map as a graph: Graphviz for .dot/.gv, Mermaid for .mmd/.mermaid' -r -F
complete -c xapi -n "__fish_xapi_using_subcommand audit" -l snapshot-out -d 'Also write everything read to FILE, to judge it again offline' -r -F
complete -c xapi -n "__fish_xapi_using_subcommand audit" -l from-snapshot -d 'Judge a saved scan again, with no AWS call at all' -r -F
complete -c xapi -n "__fish_xapi_using_subcommand audit" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand audit" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand audit" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand audit" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand audit" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand audit" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand audit" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand audit" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand audit" -l org -d 'Scan every active account of the AWS Organization (assuming --role-name in each)'
complete -c xapi -n "__fish_xapi_using_subcommand audit" -l all-regions -d 'Scan every region enabled in each account'
complete -c xapi -n "__fish_xapi_using_subcommand audit" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand audit" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand audit" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand audit" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand completions" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand completions" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand completions" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand completions" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand completions" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand completions" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand completions" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand completions" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand completions" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand completions" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand completions" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand completions" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand man" -l profile -d 'Named profile from the shared AWS config files (default: $AWS_PROFILE, then "default")' -r
complete -c xapi -n "__fish_xapi_using_subcommand man" -l region -d 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile\'s region)' -r
complete -c xapi -n "__fish_xapi_using_subcommand man" -l endpoint-url -d 'Send every AWS call, STS included, to this endpoint (default: $AWS_ENDPOINT_URL)' -r
complete -c xapi -n "__fish_xapi_using_subcommand man" -l role-arn -d 'Assume this IAM role for the command\'s account, on top of the base credentials' -r
complete -c xapi -n "__fish_xapi_using_subcommand man" -l output -d 'Output format: auto is a table on a terminal and JSON otherwise; csv only for audit\'s findings' -r -f -a "auto\t''
table\t''
json\t''
csv\t''"
complete -c xapi -n "__fish_xapi_using_subcommand man" -l color -d 'Colour: auto honours NO_COLOR and colours only a terminal' -r -f -a "auto\t''
always\t''
never\t''"
complete -c xapi -n "__fish_xapi_using_subcommand man" -l connect-timeout -d 'How long to wait for a connection to AWS before retrying: seconds, or e.g. 5s, 1m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand man" -l read-timeout -d 'How long to wait for AWS to start answering a request before retrying: seconds, or e.g. 30s, 2m (1s to 1h)' -r
complete -c xapi -n "__fish_xapi_using_subcommand man" -l no-progress -d 'Never draw progress spinners'
complete -c xapi -n "__fish_xapi_using_subcommand man" -s v -l verbose -d 'Log to stderr: -v for xapi\'s steps, -vv adds the AWS SDK\'s own logs'
complete -c xapi -n "__fish_xapi_using_subcommand man" -s h -l help -d 'Print help'
complete -c xapi -n "__fish_xapi_using_subcommand man" -s V -l version -d 'Print version'
complete -c xapi -n "__fish_xapi_using_subcommand help; and not __fish_seen_subcommand_from whoami endpoint policy grant-vpce revoke-vpce targets vpc-link wire-regional-front domain doctor mtls teardown audit completions man help" -f -a "whoami" -d 'Show the account, caller ARN and region of each configured side (STS GetCallerIdentity; with --role-arn, the AssumeRole answer)'
complete -c xapi -n "__fish_xapi_using_subcommand help; and not __fish_seen_subcommand_from whoami endpoint policy grant-vpce revoke-vpce targets vpc-link wire-regional-front domain doctor mtls teardown audit completions man help" -f -a "endpoint" -d 'Create and inspect execute-api interface VPC endpoints'
complete -c xapi -n "__fish_xapi_using_subcommand help; and not __fish_seen_subcommand_from whoami endpoint policy grant-vpce revoke-vpce targets vpc-link wire-regional-front domain doctor mtls teardown audit completions man help" -f -a "policy" -d 'Show and restore a private API\'s resource policy'
complete -c xapi -n "__fish_xapi_using_subcommand help; and not __fish_seen_subcommand_from whoami endpoint policy grant-vpce revoke-vpce targets vpc-link wire-regional-front domain doctor mtls teardown audit completions man help" -f -a "grant-vpce" -d 'Let VPC endpoints call a private API: edit its resource policy, then redeploy'
complete -c xapi -n "__fish_xapi_using_subcommand help; and not __fish_seen_subcommand_from whoami endpoint policy grant-vpce revoke-vpce targets vpc-link wire-regional-front domain doctor mtls teardown audit completions man help" -f -a "revoke-vpce" -d 'Take VPC endpoints\' access away again: edit the resource policy, then redeploy'
complete -c xapi -n "__fish_xapi_using_subcommand help; and not __fish_seen_subcommand_from whoami endpoint policy grant-vpce revoke-vpce targets vpc-link wire-regional-front domain doctor mtls teardown audit completions man help" -f -a "targets" -d 'Reconcile NLB IP targets with a VPC endpoint\'s interface addresses'
complete -c xapi -n "__fish_xapi_using_subcommand help; and not __fish_seen_subcommand_from whoami endpoint policy grant-vpce revoke-vpce targets vpc-link wire-regional-front domain doctor mtls teardown audit completions man help" -f -a "vpc-link" -d 'Create and list REST API VPC links'
complete -c xapi -n "__fish_xapi_using_subcommand help; and not __fish_seen_subcommand_from whoami endpoint policy grant-vpce revoke-vpce targets vpc-link wire-regional-front domain doctor mtls teardown audit completions man help" -f -a "wire-regional-front" -d 'Pattern 1 in one command: NLB, targets, VPC link and a Regional API in front of a private API'
complete -c xapi -n "__fish_xapi_using_subcommand help; and not __fish_seen_subcommand_from whoami endpoint policy grant-vpce revoke-vpce targets vpc-link wire-regional-front domain doctor mtls teardown audit completions man help" -f -a "domain" -d 'Pattern 4: private custom domain names for private APIs'
complete -c xapi -n "__fish_xapi_using_subcommand help; and not __fish_seen_subcommand_from whoami endpoint policy grant-vpce revoke-vpce targets vpc-link wire-regional-front domain doctor mtls teardown audit completions man help" -f -a "doctor" -d 'Walk a chain end to end and say exactly what is broken and how to fix it'
complete -c xapi -n "__fish_xapi_using_subcommand help; and not __fish_seen_subcommand_from whoami endpoint policy grant-vpce revoke-vpce targets vpc-link wire-regional-front domain doctor mtls teardown audit completions man help" -f -a "mtls" -d 'Pattern 3: an NGINX proxy that requires client certificates in front of a private API, on ECS Fargate behind an internal NLB, offered to consumers as a VPC endpoint service'
complete -c xapi -n "__fish_xapi_using_subcommand help; and not __fish_seen_subcommand_from whoami endpoint policy grant-vpce revoke-vpce targets vpc-link wire-regional-front domain doctor mtls teardown audit completions man help" -f -a "teardown" -d 'Delete what xapi created for a stack (only what carries its xapi:stack tag)'
complete -c xapi -n "__fish_xapi_using_subcommand help; and not __fish_seen_subcommand_from whoami endpoint policy grant-vpce revoke-vpce targets vpc-link wire-regional-front domain doctor mtls teardown audit completions man help" -f -a "audit" -d 'Every private API across accounts and regions: who can reach it, and what is wrong'
complete -c xapi -n "__fish_xapi_using_subcommand help; and not __fish_seen_subcommand_from whoami endpoint policy grant-vpce revoke-vpce targets vpc-link wire-regional-front domain doctor mtls teardown audit completions man help" -f -a "completions" -d 'Print a shell completion script to stdout'
complete -c xapi -n "__fish_xapi_using_subcommand help; and not __fish_seen_subcommand_from whoami endpoint policy grant-vpce revoke-vpce targets vpc-link wire-regional-front domain doctor mtls teardown audit completions man help" -f -a "man" -d 'Print the xapi(1) man page (roff) to stdout'
complete -c xapi -n "__fish_xapi_using_subcommand help; and not __fish_seen_subcommand_from whoami endpoint policy grant-vpce revoke-vpce targets vpc-link wire-regional-front domain doctor mtls teardown audit completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c xapi -n "__fish_xapi_using_subcommand help; and __fish_seen_subcommand_from endpoint" -f -a "create" -d 'Create an interface endpoint for execute-api in a VPC, or reuse the one it has'
complete -c xapi -n "__fish_xapi_using_subcommand help; and __fish_seen_subcommand_from endpoint" -f -a "list" -d 'List execute-api interface endpoints'
complete -c xapi -n "__fish_xapi_using_subcommand help; and __fish_seen_subcommand_from endpoint" -f -a "show" -d 'Show one endpoint: DNS, security groups, policy and network interfaces'
complete -c xapi -n "__fish_xapi_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "show" -d 'The policy, pretty-printed, and who it admits (by evaluating it)'
complete -c xapi -n "__fish_xapi_using_subcommand help; and __fish_seen_subcommand_from policy" -f -a "restore" -d 'Put back a policy saved before an earlier write, then redeploy'
complete -c xapi -n "__fish_xapi_using_subcommand help; and __fish_seen_subcommand_from targets" -f -a "sync" -d 'Make an IP target group\'s targets equal the endpoint\'s current interface IPs on port 443'
complete -c xapi -n "__fish_xapi_using_subcommand help; and __fish_seen_subcommand_from vpc-link" -f -a "create" -d 'Create a REST API VPC link: v1 to a network load balancer (reusing the one that targets it), or with --v2 in subnets (reusing the one of that name)'
complete -c xapi -n "__fish_xapi_using_subcommand help; and __fish_seen_subcommand_from vpc-link" -f -a "list" -d 'List REST API VPC links, v1 and v2, with their status and targets or subnets'
complete -c xapi -n "__fish_xapi_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "create" -d 'Create a private custom domain name (or reuse the stack\'s), wait until it is AVAILABLE, admit endpoints in its policy and map a private API\'s stage to it'
complete -c xapi -n "__fish_xapi_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "show" -d 'A domain\'s status, certificate, mappings and which endpoints its policy admits'
complete -c xapi -n "__fish_xapi_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "associate" -d 'Consumer side: associate a VPC endpoint with a domain another account shares (accepting its AWS RAM invitation when asked) and, with --dns, give the endpoint\'s VPC a private hosted zone for the name'
complete -c xapi -n "__fish_xapi_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "share" -d 'Producer side: share a private domain with accounts or an organization through AWS RAM (one share per stack), waiting until each principal is associated'
complete -c xapi -n "__fish_xapi_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "unshare" -d 'Producer side: stop sharing with accounts, in AWS\'s order: remove them from the share, reject their access associations, remove their endpoints from the domain policy'
complete -c xapi -n "__fish_xapi_using_subcommand help; and __fish_seen_subcommand_from mtls" -f -a "certs" -d 'Issue a CA (or use yours), the proxy\'s server certificate and client certificates (ECDSA P-256)'
complete -c xapi -n "__fish_xapi_using_subcommand help; and __fish_seen_subcommand_from mtls" -f -a "render" -d 'Write the proxy\'s nginx.conf and Dockerfile for a private API and stage'
complete -c xapi -n "__fish_xapi_using_subcommand help; and __fish_seen_subcommand_from mtls" -f -a "deploy" -d 'Run the proxy on ECS Fargate behind an internal NLB offered as a VPC endpoint service (producer account)'
complete -c xapi -n "__fish_xapi_using_subcommand help; and __fish_seen_subcommand_from mtls" -f -a "allow" -d 'Add an account as an allowed principal of the stack\'s endpoint service, or with --revoke remove every principal of it'
complete -c xapi -n "__fish_xapi_using_subcommand help; and __fish_seen_subcommand_from mtls" -f -a "show" -d 'The stack\'s endpoint service, allowed principals, target health and task counts'
complete -c xapi -n "__fish_xapi_using_subcommand help; and __fish_seen_subcommand_from mtls" -f -a "accept" -d 'Accept consumers\' endpoint connections that wait for acceptance, from allowed accounts only'
complete -c xapi -n "__fish_xapi_using_subcommand help; and __fish_seen_subcommand_from mtls" -f -a "revoke-client" -d 'Revoke one client certificate: add it to the CA\'s CRL (DIR/crl.pem) that the proxy enforces'
