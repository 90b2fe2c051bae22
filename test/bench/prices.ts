/**
 * us-east-1 list prices, one table, each with where it was read and when (2026-11-30). Free tiers
 * are left out: the figures are the marginal cost of one more million operations.
 */
export const PRICES = {
  apiGatewayRestPerMillion: {
    usd: 3.5,
    source: 'https://aws.amazon.com/api-gateway/pricing/ (REST APIs, first 333 million requests)',
  },
  lambdaRequestsPerMillion: { usd: 0.2, source: 'https://aws.amazon.com/lambda/pricing/' },
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    source: 'https://aws.amazon.com/lambda/pricing/ (Arm, first 6 billion GB-seconds)',
  },
  dynamoWritePerMillionUnits: {
    usd: 0.625,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/ (after the November 2024 cut)',
  },
  dynamoReadPerMillionUnits: {
    usd: 0.125,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/ (after the November 2024 cut)',
  },
  stepFunctionsStandardPerMillionTransitions: {
    usd: 25,
    source: 'https://aws.amazon.com/step-functions/pricing/ ($0.025 per 1,000, US East)',
  },
  xrayTracesRecordedPerMillion: { usd: 5, source: 'https://aws.amazon.com/xray/pricing/' },
  cloudWatchLogsIngestionPerGb: {
    usd: 0.5,
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (Standard log class)',
  },
} as const;

/** The day the prices above were read. */
export const PRICES_READ_ON = '2026-11-30';
