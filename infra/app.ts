import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { RetrysafeStack } from './stack.ts';
import { stackNameFor, stageOf } from './stage.ts';

const app = new App();
// `-c stage=prod` deploys the stack Retrysafe-prod with prod's settings (infra/stage.ts).
new RetrysafeStack(app, stackNameFor(stageOf(app.node)));
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
