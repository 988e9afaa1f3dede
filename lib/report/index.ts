export * from './posture-report';
export * from './render-report-html';
export * from './render-report-markdown';
export * from './report-of-manifests';
