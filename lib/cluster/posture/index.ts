export * from './isolated-pools-control';
export * from './planned-resource';
export * from './posture-control';
