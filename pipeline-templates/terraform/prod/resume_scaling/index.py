import json
import os

import boto3

# What `ecs-scaling resume` does: the three suspensions lifted, the limits unchanged.
RESUMED = {
    "DynamicScalingInSuspended": False,
    "DynamicScalingOutSuspended": False,
    "ScheduledScalingSuspended": False,
}


def handler(event, context):
    boto3.client("application-autoscaling").register_scalable_target(
        ServiceNamespace="ecs",
        ResourceId=os.environ["RESOURCE_ID"],
        ScalableDimension="ecs:service:DesiredCount",
        SuspendedState=RESUMED,
    )
    print(json.dumps({"resumed": os.environ["RESOURCE_ID"],
                      "execution": event.get("detail", {})}))
