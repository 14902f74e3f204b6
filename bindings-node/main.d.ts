/* Types of the package entry (main.js): the generated native API plus the scheduler and the jobs. */
export * from './index'
export * from './scheduler'
export * from './jobs'
