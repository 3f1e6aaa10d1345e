/**
 * The actions an AWS IoT Core policy can grant, and the AWS actions that look similar but have no
 * effect there. Source: reference §1.2, §3.1–3.3, §5.3.
 */
import { GREENGRASS_DEVICE_AUTH_DOCS, IOT_DOCS } from './docs';

/** Resource types an IoT policy action is authorised against. `*` means the resource must be `*`. */
export type ResourceType = 'client' | 'topic' | 'topicfilter' | 'thing' | 'rolealias' | 'componentVersion' | '*';

export type ActionGroup = 'mqtt' | 'retained' | 'shadow' | 'jobs' | 'credentials' | 'connection' | 'greengrass';

export interface ActionInfo {
  /** Canonical name, e.g. `iot:Publish`. */
  name: string;
  group: ActionGroup;
  /**
   * Resource types the action accepts. The first is the documented one; more than one means
   * AWS sources disagree or both forms are documented (see `notes`).
   */
  resourceTypes: ResourceType[];
  /** What the resource name is, e.g. "the MQTT topic name". */
  resourceName: string;
  /** Actions that must also be granted for this one to be useful. */
  requires?: string[];
  /** Short description: what the action permits. */
  description: string;
  /** When AWS checks it. */
  checked?: string;
  docsUrl: string;
  /** Disagreements between AWS sources and other caveats. */
  notes?: string[];
  /** For a legacy spelling, the preferred name. */
  preferred?: string;
  /** Thing variables do not resolve for this action (Greengrass data plane). */
  noThingVariables?: boolean;
  /** Device Defender flags `thing/*` / broad resources for this action. */
  fleetSensitive?: boolean;
}


const JOB_NOTE =
  'Jobs over HTTPS are authorised with the `iotjobsdata:` prefix (current AWS docs); older docs and Device Defender pages spell the same actions with `iot:`. Both spellings are accepted. Over MQTT, devices use Connect/Publish/Subscribe/Receive on the reserved jobs topics instead.';

export const IOT_POLICY_ACTIONS: readonly ActionInfo[] = [
  {
    name: 'iot:Connect', group: 'mqtt', resourceTypes: ['client'], resourceName: 'the MQTT client ID',
    description: 'Connect to the AWS IoT message broker with a given client ID.',
    checked: 'on every CONNECT request. The broker keeps one connection per client ID: a second connection with the same ID closes the first.',
    docsUrl: IOT_DOCS.policyActions, fleetSensitive: true,
  },
  {
    name: 'iot:DeleteConnection', group: 'connection', resourceTypes: ['client'], resourceName: 'the MQTT client ID',
    description: 'Forcibly disconnect a connected MQTT client (optionally cleaning its session) with the data-plane `DeleteConnection` API.',
    docsUrl: IOT_DOCS.policyActions, notes: ['Listed by current AWS docs and the Service Authorization Reference only.'],
  },
  {
    name: 'iot:Publish', group: 'mqtt', resourceTypes: ['topic'], resourceName: 'the MQTT topic name', requires: ['iot:Connect'],
    description: 'Publish a message to an MQTT topic.', checked: 'on every PUBLISH request.', docsUrl: IOT_DOCS.policyActions, fleetSensitive: true,
  },
  {
    name: 'iot:Receive', group: 'mqtt', resourceTypes: ['topic'], resourceName: 'the MQTT topic name',
    description: 'Receive messages delivered on a topic. Subscribing alone delivers nothing: each message is authorised with `iot:Receive` against its topic.',
    checked: 'every time a message is delivered to the client, so a Deny on Receive also cuts off existing subscriptions.', docsUrl: IOT_DOCS.policyActions,
  },
  {
    name: 'iot:Subscribe', group: 'mqtt', resourceTypes: ['topicfilter'], resourceName: 'the MQTT topic filter, exactly as the client writes it', requires: ['iot:Connect', 'iot:Receive'],
    description: 'Subscribe to a topic filter. The filter string the client sends (with any `+`/`#`) is matched literally against `topicfilter/` resources.',
    checked: 'on every SUBSCRIBE request, only when the subscription is made.', docsUrl: IOT_DOCS.policyActions, fleetSensitive: true,
  },
  {
    name: 'iot:RetainPublish', group: 'retained', resourceTypes: ['topic'], resourceName: 'the MQTT topic name', requires: ['iot:Publish'],
    description: 'Publish a message with the RETAIN flag set.', checked: 'on every PUBLISH with RETAIN set (together with `iot:Publish`).', docsUrl: IOT_DOCS.retained,
  },
  {
    name: 'iot:GetRetainedMessage', group: 'retained', resourceTypes: ['topic'], resourceName: 'the topic of the retained message',
    description: 'Read one retained message with the data-plane `GetRetainedMessage` API.', docsUrl: IOT_DOCS.retained,
  },
  {
    name: 'iot:ListRetainedMessages', group: 'retained', resourceTypes: ['*'], resourceName: '`*` (the action has no resource)',
    description: 'List the topics that have retained messages with the data-plane `ListRetainedMessages` API.', docsUrl: IOT_DOCS.retained,
    notes: ['AWS documents that the resource must be `*`.'],
  },
  {
    name: 'iot:GetThingShadow', group: 'shadow', resourceTypes: ['thing'], resourceName: 'the thing name, or `thingName/shadowName` for a named shadow',
    description: 'Read a thing\'s shadow with the HTTPS `GetThingShadow` API.', docsUrl: IOT_DOCS.shadow, fleetSensitive: true,
    notes: ['Older docs list only the thing form; current docs add the named-shadow form `thing/<thing>/<shadow>`.'],
  },
  {
    name: 'iot:UpdateThingShadow', group: 'shadow', resourceTypes: ['thing'], resourceName: 'the thing name, or `thingName/shadowName` for a named shadow',
    description: 'Update a thing\'s shadow with the HTTPS `UpdateThingShadow` API.', docsUrl: IOT_DOCS.shadow, fleetSensitive: true,
  },
  {
    name: 'iot:DeleteThingShadow', group: 'shadow', resourceTypes: ['thing'], resourceName: 'the thing name, or `thingName/shadowName` for a named shadow',
    description: 'Delete a thing\'s shadow with the HTTPS `DeleteThingShadow` API.', docsUrl: IOT_DOCS.shadow, fleetSensitive: true,
  },
  {
    name: 'iot:ListNamedShadowsForThing', group: 'shadow', resourceTypes: ['*', 'thing'], resourceName: '`*` per the IoT resource table, or the thing per the Service Authorization Reference',
    description: 'List the named shadows of a thing with the HTTPS `ListNamedShadowsForThing` API.', docsUrl: IOT_DOCS.shadow,
    notes: ['AWS sources disagree: the IoT action/resource table says the resource is `*`, while the Service Authorization Reference and the REST API example use `thing/<thing>`. Both are accepted.'],
  },
  ...(['DescribeJobExecution', 'GetPendingJobExecutions', 'StartNextPendingJobExecution', 'UpdateJobExecution'] as const).flatMap((op): ActionInfo[] => {
    const what: Record<string, string> = {
      DescribeJobExecution: 'Read a job execution of the thing with the HTTPS jobs API.',
      GetPendingJobExecutions: 'List the thing\'s pending job executions with the HTTPS jobs API.',
      StartNextPendingJobExecution: 'Start the thing\'s next pending job execution with the HTTPS jobs API.',
      UpdateJobExecution: 'Update the status of a job execution with the HTTPS jobs API.',
    };
    const base = { group: 'jobs' as const, resourceTypes: ['thing' as ResourceType], resourceName: 'the thing name', description: what[op], docsUrl: IOT_DOCS.jobs, fleetSensitive: true };
    return [
      { ...base, name: `iotjobsdata:${op}`, notes: [JOB_NOTE] },
      { ...base, name: `iot:${op}`, preferred: `iotjobsdata:${op}`, notes: [JOB_NOTE] },
    ];
  }),
  {
    name: 'iot:AssumeRoleWithCertificate', group: 'credentials', resourceTypes: ['rolealias'], resourceName: 'the role alias name',
    description: 'Get temporary AWS credentials from the credentials provider for the role behind a role alias.',
    checked: 'on every credentials-provider request.', docsUrl: IOT_DOCS.directAws,
  },
  // Greengrass V2 data plane (reference §3.2). Thing policy variables do not resolve here.
  ...([
    ['GetComponentVersionArtifact', ['componentVersion', '*'], 'the component version ARN (`arn:aws:greengrass:region:account:components:name:versions:version`)', 'Download a component artifact.'],
    ['ResolveComponentCandidates', ['*'], '`*`', 'Resolve the components a core device should run.'],
    ['GetDeploymentConfiguration', ['*'], '`*`', 'Read large deployment documents (nucleus 2.3.0 and later).'],
    ['ListThingGroupsForCoreDevice', ['thing', '*'], 'the core device thing', 'List the core device\'s thing groups (nucleus 2.5.0 and later).'],
    ['VerifyClientDeviceIdentity', ['*'], '`*`', 'Verify a client device\'s certificate.'],
    ['VerifyClientDeviceIoTCertificateAssociation', ['thing', '*'], 'the client device thing', 'Verify that a client device is associated with a certificate.'],
    ['PutCertificateAuthorities', ['*'], '`*`', 'Upload the core device\'s certificate authorities.'],
    ['GetConnectivityInfo', ['thing', '*'], 'the core device thing', 'Read the core device\'s connectivity information.'],
    ['UpdateConnectivityInfo', ['thing', '*'], 'the core device thing', 'Update the core device\'s connectivity information.'],
    ['Discover', ['thing', '*'], 'the client device thing', 'Discover the core devices a client device can connect to.'],
  ] as const).map(([op, types, rn, desc]): ActionInfo => ({
    name: `greengrass:${op}`, group: 'greengrass', resourceTypes: [...types], resourceName: rn, description: desc, docsUrl: GREENGRASS_DEVICE_AUTH_DOCS, noThingVariables: true,
    notes: ['Greengrass data-plane permissions must be in a policy attached to the certificate; thing-group policies do not grant them, and thing policy variables do not resolve.'],
  })),
];

/**
 * `iot:` actions of the IAM control plane (Service Authorization Reference). They are real AWS
 * actions, but IoT policies only govern the data plane, so granting them there has no effect.
 */
export const IOT_CONTROL_PLANE_ACTIONS: readonly string[] = [
  'AcceptCertificateTransfer', 'AddThingToBillingGroup', 'AddThingToThingGroup', 'AssociateSbomWithPackageVersion', 'AssociateTargetsWithJob',
  'AttachPolicy', 'AttachPrincipalPolicy', 'AttachSecurityProfile', 'AttachThingPrincipal', 'CancelAuditMitigationActionsTask', 'CancelAuditTask',
  'CancelCertificateTransfer', 'CancelDetectMitigationActionsTask', 'CancelJob', 'CancelJobExecution', 'ClearDefaultAuthorizer', 'CloseTunnel',
  'ConfirmTopicRuleDestination', 'CreateAuditSuppression', 'CreateAuthorizer', 'CreateBillingGroup', 'CreateCertificateFromCsr',
  'CreateCertificateProvider', 'CreateCommand', 'CreateCustomMetric', 'CreateDimension', 'CreateDomainConfiguration', 'CreateDynamicThingGroup',
  'CreateFleetMetric', 'CreateJob', 'CreateJobTemplate', 'CreateKeysAndCertificate', 'CreateMitigationAction', 'CreateOTAUpdate', 'CreatePackage',
  'CreatePackageVersion', 'CreatePolicy', 'CreatePolicyVersion', 'CreateProvisioningClaim', 'CreateProvisioningTemplate',
  'CreateProvisioningTemplateVersion', 'CreateRoleAlias', 'CreateScheduledAudit', 'CreateSecurityProfile', 'CreateStream', 'CreateThing',
  'CreateThingGroup', 'CreateThingType', 'CreateTopicRule', 'CreateTopicRuleDestination', 'DeleteAccountAuditConfiguration', 'DeleteAuditSuppression',
  'DeleteAuthorizer', 'DeleteBillingGroup', 'DeleteCACertificate', 'DeleteCertificate', 'DeleteCertificateProvider', 'DeleteCommand',
  'DeleteCommandExecution', 'DeleteCustomMetric', 'DeleteDimension', 'DeleteDomainConfiguration', 'DeleteDynamicThingGroup', 'DeleteFleetMetric',
  'DeleteJob', 'DeleteJobExecution', 'DeleteJobTemplate', 'DeleteMitigationAction', 'DeleteOTAUpdate', 'DeletePackage', 'DeletePackageVersion',
  'DeletePolicy', 'DeletePolicyVersion', 'DeleteProvisioningTemplate', 'DeleteProvisioningTemplateVersion', 'DeleteRegistrationCode',
  'DeleteRoleAlias', 'DeleteScheduledAudit', 'DeleteSecurityProfile', 'DeleteStream', 'DeleteThing', 'DeleteThingGroup', 'DeleteThingType',
  'DeleteTopicRule', 'DeleteTopicRuleDestination', 'DeleteV2LoggingLevel', 'DeprecateThingType', 'DescribeAccountAuditConfiguration',
  'DescribeAuditFinding', 'DescribeAuditMitigationActionsTask', 'DescribeAuditSuppression', 'DescribeAuditTask', 'DescribeAuthorizer',
  'DescribeBillingGroup', 'DescribeCACertificate', 'DescribeCertificate', 'DescribeCertificateProvider', 'DescribeCustomMetric',
  'DescribeDefaultAuthorizer', 'DescribeDetectMitigationActionsTask', 'DescribeDimension', 'DescribeDomainConfiguration', 'DescribeEncryptionConfiguration',
  'DescribeEndpoint', 'DescribeEventConfigurations', 'DescribeFleetMetric', 'DescribeIndex', 'DescribeJob', 'DescribeJobTemplate',
  'DescribeManagedJobTemplate', 'DescribeMitigationAction', 'DescribeProvisioningTemplate', 'DescribeProvisioningTemplateVersion',
  'DescribeRoleAlias', 'DescribeScheduledAudit', 'DescribeSecurityProfile', 'DescribeStream', 'DescribeThing', 'DescribeThingGroup',
  'DescribeThingRegistrationTask', 'DescribeThingType', 'DescribeTunnel', 'DetachPolicy', 'DetachPrincipalPolicy', 'DetachSecurityProfile',
  'DetachThingPrincipal', 'DisableTopicRule', 'DisassociateSbomFromPackageVersion', 'EnableTopicRule', 'GetBehaviorModelTrainingSummaries',
  'GetBucketsAggregation', 'GetCardinality', 'GetCommand', 'GetCommandExecution', 'GetEffectivePolicies', 'GetIndexingConfiguration',
  'GetJobDocument', 'GetLoggingOptions', 'GetOTAUpdate', 'GetPackage', 'GetPackageConfiguration', 'GetPackageVersion', 'GetPercentiles',
  'GetPolicy', 'GetPolicyVersion', 'GetRegistrationCode', 'GetStatistics', 'GetThingConnectivityData', 'GetTopicRule', 'GetTopicRuleDestination',
  'GetV2LoggingOptions', 'ListActiveViolations', 'ListAttachedPolicies', 'ListAuditFindings', 'ListAuditMitigationActionsExecutions',
  'ListAuditMitigationActionsTasks', 'ListAuditSuppressions', 'ListAuditTasks', 'ListAuthorizers', 'ListBillingGroups', 'ListCACertificates',
  'ListCertificateProviders', 'ListCertificates', 'ListCertificatesByCA', 'ListCommandExecutions', 'ListCommands', 'ListCustomMetrics',
  'ListDetectMitigationActionsExecutions', 'ListDetectMitigationActionsTasks', 'ListDimensions', 'ListDomainConfigurations', 'ListFleetMetrics',
  'ListIndices', 'ListJobExecutionsForJob', 'ListJobExecutionsForThing', 'ListJobTemplates', 'ListJobs', 'ListManagedJobTemplates',
  'ListMetricValues', 'ListMitigationActions', 'ListOTAUpdates', 'ListOutgoingCertificates', 'ListPackageVersions', 'ListPackages',
  'ListPolicies', 'ListPolicyPrincipals', 'ListPolicyVersions', 'ListPrincipalPolicies', 'ListPrincipalThings', 'ListPrincipalThingsV2',
  'ListProvisioningTemplateVersions', 'ListProvisioningTemplates', 'ListRelatedResourcesForAuditFinding', 'ListRoleAliases',
  'ListSbomValidationResults', 'ListScheduledAudits', 'ListSecurityProfiles', 'ListSecurityProfilesForTarget', 'ListStreams', 'ListTagsForResource',
  'ListTargetsForPolicy', 'ListTargetsForSecurityProfile', 'ListThingGroups', 'ListThingGroupsForThing', 'ListThingPrincipals',
  'ListThingPrincipalsV2', 'ListThingRegistrationTaskReports', 'ListThingRegistrationTasks', 'ListThingTypes', 'ListThings',
  'ListThingsInBillingGroup', 'ListThingsInThingGroup', 'ListTopicRuleDestinations', 'ListTopicRules', 'ListTunnels', 'ListV2LoggingLevels',
  'ListViolationEvents', 'OpenTunnel', 'PutVerificationStateOnViolation', 'RegisterCACertificate', 'RegisterCertificate',
  'RegisterCertificateWithoutCA', 'RegisterThing', 'RejectCertificateTransfer', 'RemoveThingFromBillingGroup', 'RemoveThingFromThingGroup',
  'ReplaceTopicRule', 'RotateTunnelAccessToken', 'SearchIndex', 'SendDirectMessage', 'SetDefaultAuthorizer', 'SetDefaultPolicyVersion',
  'SetLoggingOptions', 'SetV2LoggingLevel', 'SetV2LoggingOptions', 'StartAuditMitigationActionsTask', 'StartCommandExecution',
  'StartDetectMitigationActionsTask', 'StartOnDemandAuditTask', 'StartThingRegistrationTask', 'StopThingRegistrationTask', 'TagResource',
  'TestAuthorization', 'TestInvokeAuthorizer', 'TransferCertificate', 'UntagResource', 'UpdateAccountAuditConfiguration', 'UpdateAuditSuppression',
  'UpdateAuthorizer', 'UpdateBillingGroup', 'UpdateCACertificate', 'UpdateCertificate', 'UpdateCertificateProvider', 'UpdateCommand',
  'UpdateCustomMetric', 'UpdateDimension', 'UpdateDomainConfiguration', 'UpdateDynamicThingGroup', 'UpdateEncryptionConfiguration',
  'UpdateEventConfigurations', 'UpdateFleetMetric', 'UpdateIndexingConfiguration', 'UpdateJob', 'UpdateMitigationAction', 'UpdatePackage',
  'UpdatePackageConfiguration', 'UpdatePackageVersion', 'UpdateProvisioningTemplate', 'UpdateRoleAlias', 'UpdateScheduledAudit',
  'UpdateSecurityProfile', 'UpdateStream', 'UpdateThing', 'UpdateThingGroup', 'UpdateThingGroupsForThing', 'UpdateThingType',
  'UpdateTopicRuleDestination', 'ValidateSecurityProfileBehaviors',
].map((op) => `iot:${op}`);

/** AWS service prefixes (other than the IoT ones) whose actions are real but meaningless in an IoT policy. */
export const OTHER_AWS_SERVICE_PREFIXES: ReadonlySet<string> = new Set([
  'access-analyzer', 'acm', 'apigateway', 'appsync', 'athena', 'autoscaling', 'backup', 'batch', 'cloudformation', 'cloudfront', 'cloudtrail',
  'cloudwatch', 'codebuild', 'codecommit', 'codedeploy', 'codepipeline', 'cognito-identity', 'cognito-idp', 'cognito-sync', 'dynamodb', 'ec2',
  'ecr', 'ecs', 'eks', 'elasticache', 'elasticfilesystem', 'elasticloadbalancing', 'es', 'events', 'execute-api', 'firehose', 'glue',
  'guardduty', 'iam', 'inspector', 'iotanalytics', 'iotevents', 'iotfleethub', 'iotfleetwise', 'iotsitewise', 'iottwinmaker', 'iotwireless',
  'iotdeviceadvisor', 'iot-device-tester', 'kafka', 'kinesis', 'kinesisvideo', 'kms', 'lambda', 'logs', 'mq', 'organizations', 'rds', 'redshift',
  's3', 'sagemaker', 'secretsmanager', 'ses', 'signer', 'sns', 'sqs', 'ssm', 'states', 'sts', 'timestream', 'xray', 'trustedadvisor',
]);

/** The prefixes of actions that IoT policies evaluate. */
export const IOT_POLICY_PREFIXES = ['iot', 'iotjobsdata', 'greengrass'] as const;

const ACTIONS_BY_LOWER = new Map(IOT_POLICY_ACTIONS.map((a) => [a.name.toLowerCase(), a]));
const CONTROL_BY_LOWER = new Map(IOT_CONTROL_PLANE_ACTIONS.map((a) => [a.toLowerCase(), a]));

/** Action names are case-insensitive in IAM-style policies. */
export function findAction(name: string): ActionInfo | undefined {
  return ACTIONS_BY_LOWER.get(name.toLowerCase());
}

export function findControlPlaneAction(name: string): string | undefined {
  return CONTROL_BY_LOWER.get(name.toLowerCase());
}

export function actionsByGroup(group: ActionGroup): ActionInfo[] {
  return IOT_POLICY_ACTIONS.filter((a) => a.group === group);
}

/** The data-plane `iot:`/`iotjobsdata:` actions, without legacy spellings (for completion). */
export function preferredActions(): ActionInfo[] {
  return IOT_POLICY_ACTIONS.filter((a) => !a.preferred);
}

/**
 * Names people write for IoT policy actions that do not exist, with the action they mean and why
 * (keys lower case). Edit distance alone ranks these badly (`iot:PublishRetain` vs `iot:RetainPublish`).
 */
export const ACTION_MISNOMERS: ReadonlyMap<string, { suggestion?: string; why: string }> = new Map([
  ['iot:publishretain', { suggestion: 'iot:RetainPublish', why: 'publishing with the RETAIN flag is authorised by `iot:RetainPublish` (together with `iot:Publish`)' }],
  ['iot:retainedpublish', { suggestion: 'iot:RetainPublish', why: 'publishing with the RETAIN flag is authorised by `iot:RetainPublish` (together with `iot:Publish`)' }],
  ['iot:publishretained', { suggestion: 'iot:RetainPublish', why: 'publishing with the RETAIN flag is authorised by `iot:RetainPublish` (together with `iot:Publish`)' }],
  ['iot:getshadow', { suggestion: 'iot:GetThingShadow', why: 'the shadow actions are named after the HTTPS APIs: `iot:GetThingShadow`, `iot:UpdateThingShadow`, `iot:DeleteThingShadow`' }],
  ['iot:updateshadow', { suggestion: 'iot:UpdateThingShadow', why: 'the shadow actions are named after the HTTPS APIs: `iot:GetThingShadow`, `iot:UpdateThingShadow`, `iot:DeleteThingShadow`' }],
  ['iot:deleteshadow', { suggestion: 'iot:DeleteThingShadow', why: 'the shadow actions are named after the HTTPS APIs: `iot:GetThingShadow`, `iot:UpdateThingShadow`, `iot:DeleteThingShadow`' }],
  ['iot:listnamedshadows', { suggestion: 'iot:ListNamedShadowsForThing', why: 'the action is named after the `ListNamedShadowsForThing` API' }],
  ['iot:unsubscribe', { why: 'an MQTT UNSUBSCRIBE needs no permission, so no policy action exists for it' }],
  ['iot:disconnect', { suggestion: 'iot:DeleteConnection', why: 'a client\'s own DISCONNECT needs no permission; `iot:DeleteConnection` is the permission to disconnect a client with the data-plane API' }],
  ['iot:pingreq', { why: 'MQTT keep-alive pings need no permission' }],
  ['iot:assumerole', { suggestion: 'iot:AssumeRoleWithCertificate', why: 'the credentials provider is authorised by `iot:AssumeRoleWithCertificate` on a `rolealias/` ARN' }],
  ['sts:assumerolewithcertificate', { suggestion: 'iot:AssumeRoleWithCertificate', why: 'the credentials provider action has the `iot:` prefix: `iot:AssumeRoleWithCertificate`' }],
  ['iot:assumerolewithwebidentity', { suggestion: 'iot:AssumeRoleWithCertificate', why: 'the credentials provider is authorised by `iot:AssumeRoleWithCertificate` on a `rolealias/` ARN' }],
]);

/** IAM display names of a few services, for messages about actions of other services. */
export const AWS_SERVICE_NAMES: Readonly<Record<string, string>> = {
  lambda: 'AWS Lambda', dynamodb: 'Amazon DynamoDB', s3: 'Amazon S3', sns: 'Amazon SNS', sqs: 'Amazon SQS', kinesis: 'Amazon Kinesis',
  firehose: 'Amazon Data Firehose', logs: 'CloudWatch Logs', cloudwatch: 'Amazon CloudWatch', iam: 'IAM', sts: 'AWS STS', kms: 'AWS KMS',
  'execute-api': 'Amazon API Gateway', es: 'Amazon OpenSearch Service', secretsmanager: 'AWS Secrets Manager', ssm: 'AWS Systems Manager',
  iotanalytics: 'AWS IoT Analytics', iotevents: 'AWS IoT Events', iotsitewise: 'AWS IoT SiteWise', iotwireless: 'AWS IoT Core for LoRaWAN',
  timestream: 'Amazon Timestream', states: 'AWS Step Functions', ec2: 'Amazon EC2', 'cognito-identity': 'Amazon Cognito', signer: 'AWS Signer',
};

/**
 * Greengrass V1 core-device actions that AWS's V1 minimal core policy grants in an IoT policy
 * (Greengrass V1 developer guide, device-auth). V1 is in extended life; these are accepted as
 * real IoT policy actions but are not part of IOT_POLICY_ACTIONS (no resource-type facts).
 */
export const GREENGRASS_V1_POLICY_ACTIONS: readonly string[] = [
  'greengrass:AssumeRoleForGroup', 'greengrass:CreateCertificate', 'greengrass:GetDeployment', 'greengrass:GetDeploymentArtifacts',
  'greengrass:UpdateCoreDeploymentStatus',
];
