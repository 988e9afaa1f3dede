export * from './planned-resource';
export * from './posture-control';
