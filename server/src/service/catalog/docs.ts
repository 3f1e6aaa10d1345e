/** The AWS documentation pages the catalogue links to: every address in one place. */
const IOT_GUIDE = 'https://docs.aws.amazon.com/iot/latest/developerguide/';
const IAM_GUIDE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/';

/** Pages of the AWS IoT Core developer guide. */
export const IOT_DOCS = {
  policyActions: `${IOT_GUIDE}iot-policy-actions.html`,
  jobs: `${IOT_GUIDE}iot-data-plane-jobs.html`,
  retained: `${IOT_GUIDE}retained-message-policy-examples.html`,
  shadow: `${IOT_GUIDE}device-shadow-rest-api.html`,
  directAws: `${IOT_GUIDE}authorizing-direct-aws.html`,
  connect: `${IOT_GUIDE}connect-policy.html`,
  pubSub: `${IOT_GUIDE}pub-sub-policy.html`,
  vpc: `${IOT_GUIDE}IoTCore-VPC.html`,
  basicVariables: `${IOT_GUIDE}basic-policy-variables.html`,
  thingVariables: `${IOT_GUIDE}thing-policy-variables.html`,
  certVariables: `${IOT_GUIDE}cert-policy-variables.html`,
  certificateExamples: `${IOT_GUIDE}certificate-policy-examples.html`,
} as const;

/** Pages of the IAM user guide. */
export const IAM_DOCS = {
  variables: `${IAM_GUIDE}reference_policies_variables.html`,
  conditionOperators: `${IAM_GUIDE}reference_policies_elements_condition_operators.html`,
  multiValuedKeys: `${IAM_GUIDE}reference_policies_condition-single-vs-multi-valued-context-keys.html`,
} as const;

export const GREENGRASS_DEVICE_AUTH_DOCS = 'https://docs.aws.amazon.com/greengrass/v2/developerguide/device-auth.html';
