export const zh = {
  title: '住户',
  register: '登记住户',
  head: '户主',
  district: '辖区',
  status: '状态',
  category: '类别',
  size: '人数',
  applied: '申请日期',
};
export const en: typeof zh = {
  title: 'Households',
  register: 'Register a household',
  head: 'Head',
  district: 'District',
  status: 'Status',
  category: 'Category',
  size: 'Members',
  applied: 'Applied on',
};
