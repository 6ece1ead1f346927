export const zh = { skip: '跳到正文', menu: '主菜单' };
export const en: typeof zh = { skip: 'Skip to content', menu: 'Main menu' };
