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
    """Two callers: EventBridge, when an execution ends other than by success, and CodeDeploy,
    as the AppSpec's AfterAllowTraffic hook, once production traffic is on the new task set."""
    hook = event.get("LifecycleEventHookExecutionId")
    try:
        boto3.client("application-autoscaling").register_scalable_target(
            ServiceNamespace="ecs",
            ResourceId=os.environ["RESOURCE_ID"],
            ScalableDimension="ecs:service:DesiredCount",
            SuspendedState=RESUMED,
        )
    finally:
        # Traffic has shifted and the new tasks passed their checks: the hook succeeds even when
        # the resume fails, which the pipeline's ResumeScaling action then reports; a failed
        # hook would roll production back for a scaling error.
        if hook:
            boto3.client("codedeploy").put_lifecycle_event_hook_execution_status(
                deploymentId=event["DeploymentId"],
                lifecycleEventHookExecutionId=hook,
                status="Succeeded",
            )
    print(json.dumps({"resumed": os.environ["RESOURCE_ID"],
                      "deployment": event.get("DeploymentId"),
                      "execution": event.get("detail", {})}))
