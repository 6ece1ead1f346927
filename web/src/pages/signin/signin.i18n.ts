export const zh = {
  demoTitle: '演示登录',
  demoHint: '开发环境：选择一个演示角色进入，令牌只在本标签页内有效。',
  role: '角色',
  district: '辖区',
  enter: '登录',
  tokenTitle: '使用 API 密钥或令牌登录',
  token: 'API 密钥或令牌',
  tokenHint: '只保存在本标签页，关闭即清除。',
  refused: '登录失败：{{message}}',
};
export const en: typeof zh = {
  demoTitle: 'Demo sign-in',
  demoHint: 'Development: pick a demo role; the token lives in this tab only.',
  role: 'Role',
  district: 'District',
  enter: 'Sign in',
  tokenTitle: 'Sign in with an API key or token',
  token: 'API key or token',
  tokenHint: 'Kept in this tab only; gone when it closes.',
  refused: 'Sign-in refused: {{message}}',
};
