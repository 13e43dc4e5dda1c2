"""Sets up a freshly started moto server (scripts/s3_server.sh) for the ObjectStorage tests and prints env lines.

moto runs with INITIAL_NO_AUTH_ACTION_COUNT=5: exactly the five IAM calls below go through unsigned; every
request after them must carry a valid SigV4 signature from a key moto knows, and pass the IAM policy check.

  1-3  IAM user `driftloop` with an s3:* + sts:AssumeRole policy and an access key (long-term credentials)
  4-5  IAM role `driftloop-session` with an s3:* policy, which the user may assume (for session tokens)
  then, signed: sts:AssumeRole (12 h temporary credentials with a session token), and two checks that
  authentication is really on: a wrong secret must get SignatureDoesNotMatch, an unknown key InvalidAccessKeyId.

Usage: s3_bootstrap.py ENDPOINT REGION   (prints KEY=VALUE lines on stdout; exits 1 when a check fails)
"""

import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, region = sys.argv[1], sys.argv[2]
config = Config(retries={"max_attempts": 1, "mode": "standard"})


def client(service, key_id, secret, token=None):
    return boto3.client(
        service, endpoint_url=endpoint, region_name=region, aws_access_key_id=key_id,
        aws_secret_access_key=secret, aws_session_token=token, config=config)


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


# Unsigned phase: moto ignores these placeholder keys for the first five requests.
iam = client("iam", "bootstrap", "bootstrap")
user = iam.create_user(UserName="driftloop")["User"]
iam.put_user_policy(
    UserName="driftloop", PolicyName="driftloop-s3",
    PolicyDocument=policy({"Effect": "Allow", "Action": ["s3:*", "sts:AssumeRole"], "Resource": "*"}))
key = iam.create_access_key(UserName="driftloop")["AccessKey"]
role = iam.create_role(
    RoleName="driftloop-session", MaxSessionDuration=43200,
    AssumeRolePolicyDocument=policy({"Effect": "Allow", "Principal": {"AWS": user["Arn"]}, "Action": "sts:AssumeRole"}))["Role"]
iam.put_role_policy(
    RoleName="driftloop-session", PolicyName="driftloop-s3",
    PolicyDocument=policy({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}))

# Signed from here on.
session = client("sts", key["AccessKeyId"], key["SecretAccessKey"]).assume_role(
    RoleArn=role["Arn"], RoleSessionName="driftloop-tests", DurationSeconds=43200)["Credentials"]


def expect_rejected(code, s3):
    try:
        s3.list_buckets()
    except ClientError as error:
        got = error.response["Error"]["Code"]
        if got != code:
            sys.exit(f"s3_bootstrap.py: expected {code}, got {got}: is request authentication on?")
        return
    sys.exit(f"s3_bootstrap.py: a request that should fail with {code} succeeded: request authentication is off")


expect_rejected("SignatureDoesNotMatch", client("s3", key["AccessKeyId"], key["SecretAccessKey"] + "x"))
expect_rejected("InvalidAccessKeyId", client("s3", "AKIAUNKNOWNKEY000000", key["SecretAccessKey"]))
client("s3", key["AccessKeyId"], key["SecretAccessKey"]).list_buckets()

for name, value in [
    ("DRIFTLOOP_S3_ENDPOINT", endpoint),
    ("DRIFTLOOP_S3_REGION", region),
    ("DRIFTLOOP_S3_ACCESS_KEY_ID", key["AccessKeyId"]),
    ("DRIFTLOOP_S3_SECRET_ACCESS_KEY", key["SecretAccessKey"]),
    ("DRIFTLOOP_S3_SESSION_ACCESS_KEY_ID", session["AccessKeyId"]),
    ("DRIFTLOOP_S3_SESSION_SECRET_ACCESS_KEY", session["SecretAccessKey"]),
    ("DRIFTLOOP_S3_SESSION_TOKEN", session["SessionToken"]),
]:
    print(f"{name}={value}")
