import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { RetrysafeStack } from './stack.ts';

const app = new App();
new RetrysafeStack(app, 'Retrysafe');
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
