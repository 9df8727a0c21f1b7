import boto3


def test_moto_server_serves_s3_through_aws_endpoint_url(aws_endpoint: str) -> None:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="smtrain-fixture")
    names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert names == ["smtrain-fixture"]
    assert s3.meta.endpoint_url == aws_endpoint
