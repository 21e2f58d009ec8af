// The money arithmetic lives in contracts/ so the console computes a line exactly as the server does;
// the server's modules keep importing it from here.
export * from '../../contracts/money';
