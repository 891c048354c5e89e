// The privacy center's enhancements (the pages work without them).
export {};
