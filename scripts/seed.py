"""Seed the local AWS (moto) with the demo's two accounts.

Producer: a PRIVATE REST API with GET /hello (mock integration) deployed to
stage "prod", and an ACM certificate for the private custom domain name
DOMAIN_NAME (self-signed, imported: ISSUED at once). Consumer: a VPC with DNS support and hostnames, two subnets in
two Availability Zones, and a security group for the endpoint.
Prints the ids as shell assignments for the demo script to eval.
"""
import datetime
import json
import os
import sys

import boto3

REGION = os.environ.get("AWS_REGION", "us-east-1")


def session(account):
    sts = boto3.client("sts", region_name=REGION)
    creds = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/xapi-seed", RoleSessionName="xapi-seed"
    )["Credentials"]
    return boto3.session.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name=REGION,
    )


def seed_producer(account):
    apigw = session(account).client("apigateway")
    api = apigw.create_rest_api(
        name="orders-private",
        endpointConfiguration={"types": ["PRIVATE"]},
    )
    api_id = api["id"]
    root = next(r["id"] for r in apigw.get_resources(restApiId=api_id)["items"] if r["path"] == "/")
    hello = apigw.create_resource(restApiId=api_id, parentId=root, pathPart="hello")["id"]
    apigw.put_method(restApiId=api_id, resourceId=hello, httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(
        restApiId=api_id,
        resourceId=hello,
        httpMethod="GET",
        type="MOCK",
        requestTemplates={"application/json": json.dumps({"statusCode": 200})},
    )
    apigw.create_deployment(restApiId=api_id, stageName="prod", description="seed")
    return api_id


def seed_certificate(account, name):
    # cryptography comes with moto.
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    acm = session(account).client("acm")
    return acm.import_certificate(
        Certificate=cert.public_bytes(serialization.Encoding.PEM),
        PrivateKey=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )["CertificateArn"]


def seed_consumer(account, cidr="10.20"):
    ec2 = session(account).client("ec2")
    vpc = ec2.create_vpc(CidrBlock=f"{cidr}.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsSupport={"Value": True})
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"{cidr}.{i + 1}.0/24", AvailabilityZone=f"{REGION}{az}")[
            "Subnet"
        ]["SubnetId"]
        for i, az in enumerate("ab")
    ]
    sg = ec2.create_security_group(
        GroupName="execute-api-endpoint", Description="execute-api endpoint", VpcId=vpc
    )["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=sg,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": f"{cidr}.0.0/16"}]}
        ],
    )
    return vpc, subnets, sg


def main():
    producer, consumer = sys.argv[1], sys.argv[2]
    api_id = seed_producer(producer)
    certificate = seed_certificate(producer, os.environ.get("DOMAIN_NAME", "private.example.com"))
    vpc, subnets, sg = seed_consumer(consumer)
    print(f"API_ID={api_id}")
    print(f"CERT_ARN={certificate}")
    print(f"VPC_ID={vpc}")
    print(f"SUBNET_A={subnets[0]}")
    print(f"SUBNET_B={subnets[1]}")
    print(f"SG_ID={sg}")


if __name__ == "__main__":
    main()
