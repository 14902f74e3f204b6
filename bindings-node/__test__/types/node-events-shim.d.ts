// The few Node declarations scheduler.d.ts needs, for the tsc check only: @types/node is not a
// devDependency of this package (a TypeScript user of forestock has it; it declares the same names).
declare module 'node:events' {
  export class EventEmitter {
    on(eventName: string | symbol, listener: (...args: any[]) => void): this
    off(eventName: string | symbol, listener: (...args: any[]) => void): this
    once(eventName: string | symbol, listener: (...args: any[]) => void): this
    emit(eventName: string | symbol, ...args: any[]): boolean
    listenerCount(eventName: string | symbol): number
  }
}
