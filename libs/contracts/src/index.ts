export * from './status';
export * from './templates';
export * from './dto';
export * from './events';
export * from './schemas';
export * from './flow-diagram';
